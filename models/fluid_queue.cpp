#include "wlsim/models/fluid_queue.hpp"
