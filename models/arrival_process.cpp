#include "wlsim/models/arrival_process.hpp"
