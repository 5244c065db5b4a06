/* stub: being written */
#include "tincan-decoder.h"
