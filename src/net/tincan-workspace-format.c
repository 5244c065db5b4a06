/* tincan-workspace-format.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The workspace file (docs/workspace.md): a GKeyFile with a [Workspace]
 * group, then one group per item ([Tab 1], [Connection 1], [Message 1]...).
 * Each kind of group is a row of group_kinds[] with a table of its keys, so
 * that a later kind (responder rules, scripts) is one more table. Keys are
 * always written, defaults too, in the table's order, so that a change shows
 * in a diff as one line. The file is meant to be edited by hand and shared:
 * anything unknown is an error, not dropped without a word. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tincan-framing.h"
#include "tincan-net-enums.h"
#include "tincan-workspace.h"
#include "tincan-workspace-private.h"

#define WORKSPACE_GROUP "Workspace"

/* Not translated: the file must not change with the locale of whoever saved it. */
#define FILE_COMMENT " A Tincan workspace: open tabs, saved connections and messages.\n" \
                     " Plain text, meant to be read, edited and shared; see docs/workspace.md."

typedef enum
{
  VALUE_STRING,     /* char *, never NULL */
  VALUE_OPTIONAL,   /* char *, "" is read as NULL */
  VALUE_TAB_HOST,   /* char *, a host or "" */
  VALUE_HOST,       /* char *, a host */
  VALUE_TAB_PORT,   /* guint16, 0 to 65535 */
  VALUE_PORT,       /* guint16, 1 to 65535 */
  VALUE_FRAMING,    /* char *, a framing name */
  VALUE_ENUM,       /* an enum of enum_type, stored as its nick */
  VALUE_BOOLEAN,    /* gboolean, "true" or "false" */
  VALUE_UINT,       /* guint */
} ValueKind;

typedef struct
{
  const char  *key;
  ValueKind    kind;
  gsize        offset;
  GType      (*enum_type) (void);
  const char  *fallback;   /* the value of a missing key, as written; NULL: required */
} KeySpec;

#define CONNECTION_FIELD(f) G_STRUCT_OFFSET (TincanWorkspaceConnection, f)
#define MESSAGE_FIELD(f) G_STRUCT_OFFSET (TincanWorkspaceMessage, f)

static const KeySpec tab_keys[] = {
  { "Name", VALUE_OPTIONAL, CONNECTION_FIELD (name), NULL, "" },
  { "Host", VALUE_TAB_HOST, CONNECTION_FIELD (host), NULL, "" },
  { "Port", VALUE_TAB_PORT, CONNECTION_FIELD (port), NULL, "0" },
  { "Transport", VALUE_ENUM, CONNECTION_FIELD (transport), tincan_transport_get_type, "tcp" },
  { "Framing", VALUE_FRAMING, CONNECTION_FIELD (framing), NULL, "raw" },
  { "Mode", VALUE_ENUM, CONNECTION_FIELD (mode), tincan_connection_mode_get_type, "persistent" },
  { "NoProxy", VALUE_BOOLEAN, CONNECTION_FIELD (no_proxy), NULL, "false" },
};

/* A saved connection is something to connect to: it needs a host and a port. */
static const KeySpec connection_keys[] = {
  { "Name", VALUE_OPTIONAL, CONNECTION_FIELD (name), NULL, "" },
  { "Host", VALUE_HOST, CONNECTION_FIELD (host), NULL, NULL },
  { "Port", VALUE_PORT, CONNECTION_FIELD (port), NULL, NULL },
  { "Transport", VALUE_ENUM, CONNECTION_FIELD (transport), tincan_transport_get_type, "tcp" },
  { "Framing", VALUE_FRAMING, CONNECTION_FIELD (framing), NULL, "raw" },
  { "Mode", VALUE_ENUM, CONNECTION_FIELD (mode), tincan_connection_mode_get_type, "persistent" },
  { "NoProxy", VALUE_BOOLEAN, CONNECTION_FIELD (no_proxy), NULL, "false" },
};

static const KeySpec message_keys[] = {
  { "Name", VALUE_STRING, MESSAGE_FIELD (name), NULL, "" },
  { "Payload", VALUE_STRING, MESSAGE_FIELD (payload), NULL, "" },
  { "Format", VALUE_ENUM, MESSAGE_FIELD (format), tincan_payload_format_get_type, "text" },
  { "Ending", VALUE_ENUM, MESSAGE_FIELD (ending), tincan_line_ending_get_type, "none" },
  { "Description", VALUE_OPTIONAL, MESSAGE_FIELD (description), NULL, "" },
  { "RepeatMs", VALUE_UINT, MESSAGE_FIELD (repeat_ms), NULL, "0" },
};

static const KeySpec workspace_keys[] = {
  { "Version", VALUE_UINT, 0, NULL, NULL },
  { "SelectedTab", VALUE_UINT, 0, NULL, "0" },
};

typedef gpointer (*NewItemFunc) (void);

/* One kind of numbered group: "[<prefix> <n>]", n = 1, 2, 3... */
typedef struct
{
  const char     *prefix;
  const KeySpec  *keys;
  gsize           n_keys;
  NewItemFunc     new_item;
  GPtrArray    *(*items) (TincanWorkspace *self);
} GroupKind;

static const GroupKind group_kinds[] = {
  { "Tab", tab_keys, G_N_ELEMENTS (tab_keys), (NewItemFunc) tincan_workspace_connection_new,
    tincan_workspace_get_tabs },
  { "Connection", connection_keys, G_N_ELEMENTS (connection_keys),
    (NewItemFunc) tincan_workspace_connection_new, tincan_workspace_get_connections },
  { "Message", message_keys, G_N_ELEMENTS (message_keys), (NewItemFunc) tincan_workspace_message_new,
    tincan_workspace_get_messages },
};

/* Writing */

static void
write_key (GKeyFile      *file,
           const char    *group,
           const KeySpec *spec,
           gconstpointer  item)
{
  gconstpointer field = G_STRUCT_MEMBER_P (item, spec->offset);
  g_autofree char *number = NULL;

  switch (spec->kind)
    {
    case VALUE_STRING:
    case VALUE_OPTIONAL:
    case VALUE_TAB_HOST:
    case VALUE_HOST:
    case VALUE_FRAMING:
      {
        const char *text = *(char * const *) field;

        g_key_file_set_string (file, group, spec->key, text != NULL ? text : "");
      }
      break;
    case VALUE_TAB_PORT:
    case VALUE_PORT:
      number = g_strdup_printf ("%u", (guint) *(const guint16 *) field);
      g_key_file_set_value (file, group, spec->key, number);
      break;
    case VALUE_UINT:
      number = g_strdup_printf ("%u", *(const guint *) field);
      g_key_file_set_value (file, group, spec->key, number);
      break;
    case VALUE_BOOLEAN:
      g_key_file_set_boolean (file, group, spec->key, *(const gboolean *) field);
      break;
    case VALUE_ENUM:
      {
        g_autoptr(GEnumClass) klass = g_type_class_ref (spec->enum_type ());
        GEnumValue *value = g_enum_get_value (klass, *(const int *) field);

        g_return_if_fail (value != NULL);
        g_key_file_set_value (file, group, spec->key, value->value_nick);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
write_items (GKeyFile        *file,
             const GroupKind *kind,
             GPtrArray       *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *group = g_strdup_printf ("%s %u", kind->prefix, i + 1);

      for (gsize k = 0; k < kind->n_keys; k++)
        write_key (file, group, &kind->keys[k], g_ptr_array_index (items, i));
    }
}

/**
 * tincan_workspace_to_data:
 * @length: (out) (optional): the length of the text
 *
 * The workspace file's text. The same workspace always gives the same bytes:
 * every key is written, defaults too, in a fixed order.
 *
 * Returns: (transfer full): UTF-8 text, if the workspace's strings are
 */
char *
tincan_workspace_to_data (TincanWorkspace *self,
                          gsize           *length)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  GPtrArray *tabs;

  g_return_val_if_fail (self != NULL, NULL);

  tabs = tincan_workspace_get_tabs (self);
  g_key_file_set_integer (file, WORKSPACE_GROUP, "Version", TINCAN_WORKSPACE_FORMAT_VERSION);
  /* The tab's group number, 0 with no tabs. */
  g_key_file_set_integer (file, WORKSPACE_GROUP, "SelectedTab",
                          tabs->len > 0 ? (int) _tincan_workspace_saved_selected_tab (self) + 1 : 0);
  g_key_file_set_comment (file, NULL, NULL, FILE_COMMENT, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (group_kinds); i++)
    write_items (file, &group_kinds[i], group_kinds[i].items (self));
  return g_key_file_to_data (file, length, NULL);
}

/* Where things are: GKeyFile keeps no line numbers, yet an error in a file
 * edited by hand must say where it is. So the text is scanned once here,
 * line by line as GKeyFile reads it, for the line of each group and key; the
 * scan also refuses what GKeyFile would merge in silence (a group or a key
 * twice) and finds the line of a syntax error. */

typedef struct
{
  guint       line;
  GHashTable *keys;    /* key name → line, as GUINT_TO_POINTER */
} GroupLines;

typedef struct
{
  GHashTable *groups;  /* group name → GroupLines */
  GPtrArray  *order;   /* group names in file order, owned by groups */
} LineIndex;

static void
group_lines_free (GroupLines *self)
{
  g_hash_table_unref (self->keys);
  g_free (self);
}

static void
line_index_clear (LineIndex *self)
{
  g_clear_pointer (&self->groups, g_hash_table_unref);
  g_clear_pointer (&self->order, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LineIndex, line_index_clear)

static gboolean
line_error (GError     **error,
            int          code,
            guint        line,
            const char  *why)
{
  g_set_error (error, TINCAN_WORKSPACE_ERROR, code,
               /* TRANSLATORS: a line number of a workspace file, and what is wrong there */
               _("Line %u: %s"), line, why);
  return FALSE;
}

/* What a line holds, as GKeyFile sees it; FALSE with @error for a line it refuses. */
static gboolean
scan_group_line (LineIndex   *index,
                 const char  *text,
                 gsize        length,
                 guint        line,
                 GroupLines **current,
                 GError     **error)
{
  const char *close = memchr (text, ']', length);
  g_autofree char *name = NULL;
  g_autofree char *why = NULL;

  for (const char *p = close != NULL ? close + 1 : text + length; p < text + length; p++)
    if (*p != ' ' && *p != '\t')
      close = NULL;
  if (close == NULL || close == text + 1)
    return line_error (error, TINCAN_WORKSPACE_ERROR_PARSE, line,
                       _("A group line is a name in brackets, such as “[Tab 1]”."));
  name = g_strndup (text + 1, close - text - 1);
  for (const char *p = name; *p != '\0'; p++)
    if (*p == '[' || g_ascii_iscntrl (*p))
      return line_error (error, TINCAN_WORKSPACE_ERROR_PARSE, line,
                         _("A group name cannot hold “[” or control characters."));
  if (g_hash_table_contains (index->groups, name))
    {
      why = g_strdup_printf (_("The group [%s] appears a second time."), name);
      return line_error (error, TINCAN_WORKSPACE_ERROR_PARSE, line, why);
    }
  *current = g_new0 (GroupLines, 1);
  (*current)->line = line;
  (*current)->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_ptr_array_add (index->order, name);
  g_hash_table_insert (index->groups, g_steal_pointer (&name), *current);
  return TRUE;
}

static gboolean
scan_key_line (const char  *text,
               gsize        length,
               guint        line,
               GroupLines  *current,
               GError     **error)
{
  const char *equals = memchr (text, '=', length);
  const char *end = equals;
  g_autofree char *key = NULL;
  g_autofree char *why = NULL;

  if (equals == NULL)
    return line_error (error, TINCAN_WORKSPACE_ERROR_PARSE, line,
                       _("This line is not a group, a “Key=value” line or a comment."));
  while (end > text && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  if (end == text)
    return line_error (error, TINCAN_WORKSPACE_ERROR_PARSE, line,
                       _("There is no key name before the “=”."));
  if (current == NULL)
    return line_error (error, TINCAN_WORKSPACE_ERROR_PARSE, line,
                       _("A key comes before the first group."));
  key = g_strndup (text, end - text);
  for (const char *p = key; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      return line_error (error, TINCAN_WORKSPACE_ERROR_PARSE, line,
                         _("A key name cannot hold control characters."));
  if (g_hash_table_contains (current->keys, key))
    {
      why = g_strdup_printf (_("The key “%s” appears a second time in its group."), key);
      return line_error (error, TINCAN_WORKSPACE_ERROR_PARSE, line, why);
    }
  g_hash_table_insert (current->keys, g_steal_pointer (&key), GUINT_TO_POINTER (line));
  return TRUE;
}

static gboolean
scan_line (LineIndex   *index,
           const char  *text,
           gsize        length,
           guint        line,
           GroupLines **current,
           GError     **error)
{
  if (length > 0 && text[length - 1] == '\r')
    length--;
  if (!g_utf8_validate (text, length, NULL))
    return line_error (error, TINCAN_WORKSPACE_ERROR_PARSE, line,
                       _("This line is not UTF-8 text."));
  while (length > 0 && g_ascii_isspace (*text))
    {
      text++;
      length--;
    }
  if (length == 0 || text[0] == '#')
    return TRUE;
  if (text[0] == '[')
    return scan_group_line (index, text, length, line, current, error);
  return scan_key_line (text, length, line, *current, error);
}

static gboolean
scan (LineIndex   *index,
      const char  *data,
      gsize        length,
      GError     **error)
{
  GroupLines *current = NULL;
  const char *end = data + length;
  guint line = 1;

  index->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) group_lines_free);
  index->order = g_ptr_array_new ();
  for (const char *p = data; p < end; line++)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line_end = newline != NULL ? newline : end;

      if (!scan_line (index, p, line_end - p, line, &current, error))
        return FALSE;
      p = line_end + 1;
    }
  return TRUE;
}

static guint
group_line (LineIndex  *index,
            const char *group)
{
  GroupLines *lines = g_hash_table_lookup (index->groups, group);

  return lines != NULL ? lines->line : 1;
}

static guint
key_line (LineIndex  *index,
          const char *group,
          const char *key)
{
  GroupLines *lines = g_hash_table_lookup (index->groups, group);
  gpointer line = lines != NULL ? g_hash_table_lookup (lines->keys, key) : NULL;

  return line != NULL ? GPOINTER_TO_UINT (line) : group_line (index, group);
}

/* Reading */

typedef struct
{
  GKeyFile  *file;
  LineIndex *index;
} Reader;

/* "tcp, tls or udp" */
static char *
list_choices (const char * const *choices,
              guint               n)
{
  g_autoptr(GString) list = g_string_new (choices[0]);

  for (guint i = 1; i + 1 < n; i++)
    g_string_append_printf (list, ", %s", choices[i]);
  if (n < 2)
    return g_string_free (g_steal_pointer (&list), FALSE);
  /* TRANSLATORS: the end of a list of choices: "tcp, tls or udp" */
  return g_strdup_printf (_("%s or %s"), list->str, choices[n - 1]);
}

static gboolean
bad_value (Reader         *reader,
           const char     *group,
           const KeySpec  *spec,
           GError        **error,
           const char     *format,
           ...) G_GNUC_PRINTF (5, 6);

static gboolean
bad_value (Reader         *reader,
           const char     *group,
           const KeySpec  *spec,
           GError        **error,
           const char     *format,
           ...)
{
  g_autofree char *why = NULL;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  return line_error (error, TINCAN_WORKSPACE_ERROR_VALUE,
                     key_line (reader->index, group, spec->key), why);
}

static gboolean
read_enum (Reader         *reader,
           const char     *group,
           const KeySpec  *spec,
           const char     *text,
           int            *field,
           GError        **error)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (spec->enum_type ());
  GEnumValue *value = g_enum_get_value_by_nick (klass, text);
  g_autofree const char **nicks = NULL;
  g_autofree char *choices = NULL;

  if (value != NULL)
    {
      *field = value->value;
      return TRUE;
    }
  nicks = g_new0 (const char *, klass->n_values + 1);
  for (guint i = 0; i < klass->n_values; i++)
    nicks[i] = klass->values[i].value_nick;
  choices = list_choices (nicks, klass->n_values);
  return bad_value (reader, group, spec, error,
                    /* TRANSLATORS: a key, its choices ("tcp, tls or udp"), the value found */
                    _("“%s” must be %s, not “%s”."), spec->key, choices, text);
}

static gboolean
read_number (Reader         *reader,
             const char     *group,
             const KeySpec  *spec,
             const char     *text,
             guint64         min,
             guint64         max,
             guint64        *number,
             GError        **error)
{
  /* g_ascii_string_to_unsigned() would take "+5" and "  5"; a port is digits. */
  gboolean digits = text[0] != '\0';

  for (const char *p = text; *p != '\0'; p++)
    digits = digits && g_ascii_isdigit (*p);
  if (digits && g_ascii_string_to_unsigned (text, 10, min, max, number, NULL))
    return TRUE;
  return bad_value (reader, group, spec, error,
                    /* TRANSLATORS: a key, the smallest and largest numbers, the value found */
                    _("“%s” must be a whole number from %llu to %llu, not “%s”."), spec->key,
                    (unsigned long long) min, (unsigned long long) max, text);
}

static gboolean
read_checked_string (Reader         *reader,
                     const char     *group,
                     const KeySpec  *spec,
                     char          **text,
                     GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  switch (spec->kind)
    {
    case VALUE_OPTIONAL:
      if (**text == '\0')
        g_clear_pointer (text, g_free);
      return TRUE;
    case VALUE_TAB_HOST:
      if (**text == '\0')
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case VALUE_HOST:
      if (tincan_target_check_host (*text, &local_error))
        return TRUE;
      return bad_value (reader, group, spec, error, _("“%s” is not a usable host: %s"),
                        spec->key, local_error->message);
    case VALUE_FRAMING:
      {
        g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (*text, &local_error);

        if (framing != NULL)
          return TRUE;
        return bad_value (reader, group, spec, error, _("“%s” is not a framing: %s"),
                          spec->key, local_error->message);
      }
    default:
      return TRUE;
    }
}

static gboolean
read_string (Reader         *reader,
             const char     *group,
             const KeySpec  *spec,
             const char     *fallback,
             char          **field,
             GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;

  text = fallback != NULL ? g_strdup (fallback)
                          : g_key_file_get_string (reader->file, group, spec->key, &local_error);
  if (text == NULL)
    return bad_value (reader, group, spec, error, _("“%s” cannot be read: %s"), spec->key,
                      local_error->message);
  if (!read_checked_string (reader, group, spec, &text, error))
    return FALSE;
  g_free (*field);
  *field = g_steal_pointer (&text);
  return TRUE;
}

/* Reads @spec's key of @group into @item; a missing key takes its fallback. */
static gboolean
read_key (Reader         *reader,
          const char     *group,
          const KeySpec  *spec,
          gpointer        item,
          GError        **error)
{
  gpointer field = G_STRUCT_MEMBER_P (item, spec->offset);
  const char *fallback = NULL;
  g_autofree char *raw = NULL;
  guint64 number = 0;

  if (!g_key_file_has_key (reader->file, group, spec->key, NULL))
    {
      g_autofree char *why = NULL;

      if (spec->fallback == NULL)
        {
          why = g_strdup_printf (_("The group [%s] needs a “%s” key."), group, spec->key);
          return line_error (error, TINCAN_WORKSPACE_ERROR_VALUE,
                             group_line (reader->index, group), why);
        }
      fallback = spec->fallback;
    }
  switch (spec->kind)
    {
    case VALUE_STRING:
    case VALUE_OPTIONAL:
    case VALUE_TAB_HOST:
    case VALUE_HOST:
    case VALUE_FRAMING:
      return read_string (reader, group, spec, fallback, field, error);
    default:
      break;
    }

  raw = fallback != NULL ? g_strdup (fallback)
                         : g_key_file_get_value (reader->file, group, spec->key, NULL);
  g_strstrip (raw);
  switch (spec->kind)
    {
    case VALUE_ENUM:
      return read_enum (reader, group, spec, raw, field, error);
    case VALUE_BOOLEAN:
      if (g_str_equal (raw, "true") || g_str_equal (raw, "false"))
        {
          *(gboolean *) field = g_str_equal (raw, "true");
          return TRUE;
        }
      return bad_value (reader, group, spec, error, _("“%s” must be true or false, not “%s”."),
                        spec->key, raw);
    case VALUE_TAB_PORT:
    case VALUE_PORT:
      if (!read_number (reader, group, spec, raw, spec->kind == VALUE_PORT ? 1 : 0, G_MAXUINT16,
                        &number, error))
        return FALSE;
      *(guint16 *) field = (guint16) number;
      return TRUE;
    case VALUE_UINT:
      if (!read_number (reader, group, spec, raw, 0, G_MAXUINT, &number, error))
        return FALSE;
      *(guint *) field = (guint) number;
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_known_key (const char    *key,
              const KeySpec *keys,
              gsize          n_keys)
{
  for (gsize k = 0; k < n_keys; k++)
    if (g_str_equal (key, keys[k].key))
      return TRUE;
  return FALSE;
}

/* Every key of @group is one of @keys; the first that is not is an error. The
 * keys come from the scan, not from GKeyFile, which does not list a localized
 * key such as "Name[de]". */
static gboolean
check_keys (Reader         *reader,
            const char     *group,
            const KeySpec  *keys,
            gsize           n_keys,
            GError        **error)
{
  GroupLines *lines = g_hash_table_lookup (reader->index->groups, group);
  g_autofree const char **names = NULL;
  g_autofree char *choices = NULL;
  g_autofree char *why = NULL;
  const char *unknown = NULL;
  guint first = G_MAXUINT;
  GHashTableIter iter;
  gpointer key, line;

  g_hash_table_iter_init (&iter, lines->keys);
  while (g_hash_table_iter_next (&iter, &key, &line))
    if (GPOINTER_TO_UINT (line) < first && !is_known_key (key, keys, n_keys))
      {
        unknown = key;
        first = GPOINTER_TO_UINT (line);
      }
  if (unknown == NULL)
    return TRUE;
  names = g_new0 (const char *, n_keys + 1);
  for (gsize k = 0; k < n_keys; k++)
    names[k] = keys[k].key;
  choices = list_choices (names, n_keys);
  why = g_strdup_printf (_("The group [%s] has no key “%s”: it can have %s."), group, unknown,
                         choices);
  return line_error (error, TINCAN_WORKSPACE_ERROR_UNKNOWN, first, why);
}

/* The kind and number of a group named "Tab 3"; NULL for a name no kind has. */
static const GroupKind *
find_kind (const char *group,
           guint64    *number)
{
  for (gsize i = 0; i < G_N_ELEMENTS (group_kinds); i++)
    {
      gsize length = strlen (group_kinds[i].prefix);
      const char *digits = group + length + 1;
      gboolean ok = TRUE;

      if (strncmp (group, group_kinds[i].prefix, length) != 0 || group[length] != ' ')
        continue;
      /* "Tab 01" and "Tab 1" would be one tab twice. */
      for (const char *p = digits; *p != '\0'; p++)
        ok = ok && g_ascii_isdigit (*p);
      if (ok && digits[0] != '0' &&
          g_ascii_string_to_unsigned (digits, 10, 1, G_MAXUINT, number, NULL))
        return &group_kinds[i];
    }
  return NULL;
}

typedef struct
{
  guint64  number;
  gpointer item;
} Numbered;

static int
compare_numbered (gconstpointer a,
                  gconstpointer b)
{
  const Numbered *x = a;
  const Numbered *y = b;

  return x->number < y->number ? -1 : x->number > y->number;
}

static gboolean
read_item (Reader          *reader,
           const char      *group,
           const GroupKind *kind,
           gpointer         item,
           GError         **error)
{
  if (!check_keys (reader, group, kind->keys, kind->n_keys, error))
    return FALSE;
  for (gsize k = 0; k < kind->n_keys; k++)
    if (!read_key (reader, group, &kind->keys[k], item, error))
      return FALSE;
  return TRUE;
}

static gboolean
unknown_group (Reader      *reader,
               const char  *group,
               GError     **error)
{
  g_autoptr(GString) kinds = g_string_new ("[" WORKSPACE_GROUP "]");
  g_autofree char *why = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (group_kinds); i++)
    g_string_append_printf (kinds, ", [%s 1]", group_kinds[i].prefix);
  why = g_strdup_printf (_("[%s] is not a group this version knows; it knows %s."),
                         group, kinds->str);
  return line_error (error, TINCAN_WORKSPACE_ERROR_UNKNOWN, group_line (reader->index, group),
                     why);
}

/* Reads every numbered group into @workspace, each kind in the order of its
 * numbers (a gap, where a group was deleted by hand, is fine); @tab_numbers
 * gets the tabs' numbers, for SelectedTab. */
static gboolean
read_items (Reader           *reader,
            TincanWorkspace  *workspace,
            GArray          **tab_numbers,
            GError          **error)
{
  GArray *found[G_N_ELEMENTS (group_kinds)];
  gboolean ok = TRUE;

  for (gsize i = 0; i < G_N_ELEMENTS (group_kinds); i++)
    found[i] = g_array_new (FALSE, FALSE, sizeof (Numbered));
  for (guint g = 1; ok && g < reader->index->order->len; g++)
    {
      const char *group = g_ptr_array_index (reader->index->order, g);
      Numbered numbered = { 0, NULL };
      const GroupKind *kind = find_kind (group, &numbered.number);

      if (kind == NULL)
        {
          ok = unknown_group (reader, group, error);
          break;
        }
      numbered.item = kind->new_item ();
      g_array_append_val (found[kind - group_kinds], numbered);
      ok = read_item (reader, group, kind, numbered.item, error);
    }

  *tab_numbers = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (gsize i = 0; i < G_N_ELEMENTS (group_kinds); i++)
    {
      GPtrArray *items = group_kinds[i].items (workspace);

      g_array_sort (found[i], compare_numbered);
      for (guint n = 0; n < found[i]->len; n++)
        {
          Numbered *numbered = &g_array_index (found[i], Numbered, n);

          /* The items go into @workspace even on failure, so that they are freed with it. */
          g_ptr_array_add (items, numbered->item);
          if (group_kinds[i].items == tincan_workspace_get_tabs)
            g_array_append_val (*tab_numbers, numbered->number);
        }
      g_array_unref (found[i]);
    }
  return ok;
}

/* [Workspace] comes first, and its Version is one this code reads: checked
 * before anything else, since a newer format may well have groups and keys
 * that this version calls unknown. */
static gboolean
read_version (Reader  *reader,
              GError **error)
{
  const char *first = reader->index->order->len > 0 ? g_ptr_array_index (reader->index->order, 0)
                                                     : NULL;
  guint version = 0;
  g_autofree char *why = NULL;

  if (first == NULL || !g_str_equal (first, WORKSPACE_GROUP))
    return line_error (error, TINCAN_WORKSPACE_ERROR_PARSE,
                       first != NULL ? group_line (reader->index, first) : 1,
                       _("A workspace file starts with a [Workspace] group."));
  if (!read_key (reader, WORKSPACE_GROUP, &workspace_keys[0], &version, error))
    return FALSE;
  if (version > TINCAN_WORKSPACE_FORMAT_VERSION)
    {
      why = g_strdup_printf (_("This workspace was made by a newer Tincan (format %u; this "
                               "version reads format %d)."),
                             version, TINCAN_WORKSPACE_FORMAT_VERSION);
      return line_error (error, TINCAN_WORKSPACE_ERROR_VERSION,
                         key_line (reader->index, WORKSPACE_GROUP, "Version"), why);
    }
  if (version == 0)
    return bad_value (reader, WORKSPACE_GROUP, &workspace_keys[0], error,
                      _("“%s” must be 1 or more, not 0."), "Version");
  return check_keys (reader, WORKSPACE_GROUP, workspace_keys, G_N_ELEMENTS (workspace_keys),
                     error);
}

/* SelectedTab names a tab's group number; 0, or none, is the first tab. */
static gboolean
read_selected_tab (Reader           *reader,
                   TincanWorkspace  *workspace,
                   GArray           *tab_numbers,
                   GError          **error)
{
  const KeySpec *spec = &workspace_keys[1];
  guint selected = 0;

  if (!read_key (reader, WORKSPACE_GROUP, spec, &selected, error))
    return FALSE;
  if (selected == 0)
    return TRUE;
  for (guint i = 0; i < tab_numbers->len; i++)
    if (g_array_index (tab_numbers, guint64, i) == selected)
      {
        tincan_workspace_set_selected_tab (workspace, i);
        return TRUE;
      }
  return bad_value (reader, WORKSPACE_GROUP, spec, error,
                    _("“%s” is %u, but there is no [Tab %u]."), spec->key, selected, selected);
}

/**
 * tincan_workspace_new_from_data:
 * @data: the text of a workspace file (docs/workspace.md)
 * @length: its length, or -1 when @data ends with a NUL
 * @error: a #TINCAN_WORKSPACE_ERROR (PARSE, UNKNOWN, VALUE or VERSION) whose
 *   message names the line and says why
 *
 * Returns: (transfer full) (nullable): the workspace, or %NULL: nothing of a
 *   file with any error is taken
 */
TincanWorkspace *
tincan_workspace_new_from_data (const char  *data,
                                gsize        length,
                                GError     **error)
{
  g_auto(LineIndex) index = { NULL, NULL };
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(TincanWorkspace) workspace = tincan_workspace_new ();
  g_autoptr(GArray) tab_numbers = NULL;
  g_autoptr(GError) local_error = NULL;
  Reader reader = { file, &index };

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == (gsize) -1)
    length = strlen (data);
  if (!scan (&index, data, length, error))
    return NULL;
  /* The scan refuses what GKeyFile refuses; should they ever differ, say so all the same. */
  if (!g_key_file_load_from_data (file, length > 0 ? data : "", length, G_KEY_FILE_NONE,
                                  &local_error))
    {
      line_error (error, TINCAN_WORKSPACE_ERROR_PARSE, 1, local_error->message);
      return NULL;
    }
  if (!read_version (&reader, error) ||
      !read_items (&reader, workspace, &tab_numbers, error) ||
      !read_selected_tab (&reader, workspace, tab_numbers, error))
    return NULL;
  return g_steal_pointer (&workspace);
}
