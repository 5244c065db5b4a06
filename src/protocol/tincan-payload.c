/* stub: being written */
#include "tincan-payload.h"
