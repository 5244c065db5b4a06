/* stub: being written */
#include "tincan-target.h"
