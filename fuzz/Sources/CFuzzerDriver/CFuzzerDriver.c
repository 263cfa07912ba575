// The target needs one source file; the declaration in include/ is all it provides.
#include "CFuzzerDriver.h"
