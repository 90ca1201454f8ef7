#include <iostream>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "cli/commands.h"
#include "engine/registry.h"
#include "rules/builtin.h"

namespace kspm::cli {
namespace {

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

void WriteRuleJson(rapidjson::PrettyWriter<rapidjson::StringBuffer>& w, const engine::Rule& r) {
  const engine::RuleInfo& i = r.info;
  w.StartObject();
  w.Key("id");
  w.String(i.id.c_str());
  w.Key("slug");
  w.String(i.slug.c_str());
  w.Key("title");
  w.String(i.title.c_str());
  w.Key("severity");
  w.String(std::string(engine::SeverityName(i.severity)).c_str());
  w.Key("category");
  w.String(i.category.c_str());
  w.Key("description");
  w.String(i.description.c_str());
  w.Key("remediation");
  w.String(i.remediation.c_str());
  w.Key("controls");
  w.StartArray();
  for (const auto& c : i.controls) w.String(c.c_str());
  w.EndArray();
  w.Key("references");
  w.StartArray();
  for (const auto& c : i.references) w.String(c.c_str());
  w.EndArray();
  w.Key("equivalents");
  w.StartArray();
  for (const auto& e : i.equivalents) {
    w.StartObject();
    w.Key("tool");
    w.String(e.tool.c_str());
    w.Key("id");
    w.String(e.id.c_str());
    w.EndObject();
  }
  w.EndArray();
  if (r.min_k8s_minor > 0 || r.max_k8s_minor < 1000) {
    w.Key("kubernetesVersions");
    std::string range = "1." + std::to_string(r.min_k8s_minor) + "+";
    if (r.max_k8s_minor < 1000)
      range = "1." + std::to_string(r.min_k8s_minor) + "–1." + std::to_string(r.max_k8s_minor);
    w.String(range.c_str());
  }
  w.EndObject();
}

int ListRules(const std::string& format, const std::vector<std::string>& frameworks) {
  engine::RuleRegistry registry;
  rules::RegisterBuiltinRules(registry);
  engine::Selection sel;
  sel.frameworks = frameworks;
  auto selected = engine::SelectRules(registry, sel);
  if (!selected.ok()) {
    std::cerr << "kspm: error: " << selected.status().message() << "\n";
    return kExitError;
  }
  if (format == "json") {
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.StartArray();
    for (const engine::Rule* r : *selected) WriteRuleJson(w, *r);
    w.EndArray();
    std::cout << buf.GetString() << "\n";
    return kExitClean;
  }
  if (format != "table") {
    std::cerr << "kspm: error: unknown format \"" << format << "\" (table, json)\n";
    return kExitError;
  }
  std::printf("%-9s %-42s %-9s %s\n", "ID", "SLUG", "SEVERITY", "TITLE");
  for (const engine::Rule* r : *selected) {
    std::printf("%-9s %-42s %-9s %s\n", r->info.id.c_str(), r->info.slug.c_str(),
                std::string(engine::SeverityName(r->info.severity)).c_str(), r->info.title.c_str());
  }
  std::printf("\n%zu rules\n", selected->size());
  return kExitClean;
}

int ShowRule(const std::string& id, const std::string& format) {
  engine::RuleRegistry registry;
  rules::RegisterBuiltinRules(registry);
  const engine::Rule* r = registry.Find(id);
  if (r == nullptr) {
    std::cerr << "kspm: error: unknown rule \"" << id << "\" (see: kspm rules list)\n";
    return kExitError;
  }
  if (format == "json") {
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    WriteRuleJson(w, *r);
    std::cout << buf.GetString() << "\n";
    return kExitClean;
  }
  const engine::RuleInfo& i = r->info;
  std::cout << i.id << " " << i.slug << "\n"
            << i.title << "\n\n"
            << "Severity:    " << engine::SeverityName(i.severity) << "\n"
            << "Category:    " << i.category << "\n"
            << "Controls:    " << Join(i.controls, ", ") << "\n";
  if (!i.equivalents.empty()) {
    std::vector<std::string> eq;
    for (const auto& e : i.equivalents) eq.push_back(e.tool + ": " + e.id);
    std::cout << "Equivalents: " << Join(eq, ", ") << "\n";
  }
  std::cout << "\nWhy it matters\n  " << i.description << "\n\nRemediation\n  " << i.remediation
            << "\n";
  if (!i.references.empty()) std::cout << "\nReferences\n  " << Join(i.references, "\n  ") << "\n";
  return kExitClean;
}

}  // namespace

void AddRulesCommand(CLI::App& app, std::function<int()>& run) {
  CLI::App* cmd = app.add_subcommand("rules", "The rule catalog");
  cmd->require_subcommand(1);
  auto format = std::make_shared<std::string>("table");
  auto frameworks = std::make_shared<std::vector<std::string>>();
  CLI::App* list = cmd->add_subcommand("list", "List the built-in rules");
  list->add_option("-o,--format", *format, "table|json");
  list->add_option("--framework", *frameworks, "Only rules mapped to this framework")
      ->allow_extra_args(false);
  list->callback([&run, format, frameworks] {
    run = [format, frameworks] { return ListRules(*format, *frameworks); };
  });
  auto id = std::make_shared<std::string>();
  auto show_format = std::make_shared<std::string>("text");
  CLI::App* show = cmd->add_subcommand("show", "Show one rule");
  show->add_option("id", *id, "Rule id or slug")->required();
  show->add_option("-o,--format", *show_format, "text|json");
  show->callback(
      [&run, id, show_format] { run = [id, show_format] { return ShowRule(*id, *show_format); }; });
}

}  // namespace kspm::cli
