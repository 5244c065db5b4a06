/* stub: being written */
#include "tincan-framing.h"
