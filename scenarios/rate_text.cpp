#include "rate_text.hpp"
