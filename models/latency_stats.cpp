#include "wlsim/models/latency_stats.hpp"
