/* stub */
#include "tincan-echo-server.h"
