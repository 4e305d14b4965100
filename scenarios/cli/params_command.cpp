#include <algorithm>
#include <iostream>

#include "commands.hpp"
#include "wlsim/engine/json.hpp"
#include "wlsim/scenarios/parameters.hpp"

namespace wlsim::cli {

ParamsCommand::ParamsCommand(CLI::App& wlsim) {
  app_ = wlsim.add_subcommand(
      "params",
      "Print every number a scenario's `platform` block may set: its default under the profile\n"
      "and where the number comes from.");
  app_->add_option("--profile", profile_, "whose defaults: platform (default) or kubernetes")
      ->check(CLI::IsMember({"platform", "kubernetes"}))
      ->type_name("P");
  app_->add_option("--format", format_, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->type_name("F");
}

int ParamsCommand::execute() const {
  const models::Profile profile =
      profile_ == "kubernetes" ? models::Profile::Kubernetes : models::Profile::Platform;
  const auto rows = scenarios::parameters(scenarios::default_settings(profile), profile);
  if (format_ == "json") {
    engine::Json j = engine::Json::array();
    for (const auto& r : rows) {
      engine::Json p = engine::Json::object();
      p["name"] = r.name;
      p["value"] = r.value;
      p["source"] = r.source;
      j.push_back(std::move(p));
    }
    std::cout << engine::to_text(j) << "\n";
    return 0;
  }
  std::size_t name_width = 4;
  std::size_t value_width = 5;
  for (const auto& r : rows) {
    name_width = std::max(name_width, r.name.size());
    value_width = std::max(value_width, r.value.size());
  }
  const auto pad = [](const std::string& s, std::size_t w) {
    return s + std::string(w - s.size() + 2, ' ');
  };
  std::cout << "platform parameters, profile " << profile_ << "\n\n"
            << pad("name", name_width) << pad("value", value_width) << "source\n";
  for (const auto& r : rows)
    std::cout << pad(r.name, name_width) << pad(r.value, value_width) << r.source << "\n";
  return 0;
}

}  // namespace wlsim::cli
