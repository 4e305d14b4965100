#include "wlsim/models/hpa.hpp"
