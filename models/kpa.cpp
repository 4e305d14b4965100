#include "wlsim/models/kpa.hpp"
