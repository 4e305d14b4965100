// wlsim._core: the compiled half of the wlsim Python package. Bindings are split by area
// (bind_engine.cpp, bind_scenarios.cpp) and assembled here.

#include <pybind11/pybind11.h>

#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() =
      "wlsim's C++ core: scenario loading, runs, trace records. Use the wlsim package instead.";
  wlsim::bindings::bind_engine(m);
  wlsim::bindings::bind_scenarios(m);
  wlsim::bindings::bind_study(m);
}
