#include "wlsim/models/erlang.hpp"
