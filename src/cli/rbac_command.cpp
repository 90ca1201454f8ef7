// kspm rbac who-can: which subjects of the scanned manifests may perform a
// request, and through which binding, role and rule (engine/rbac_model.h).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <tuple>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "cli/commands.h"
#include "core/source.h"
#include "engine/rbac_model.h"

namespace kspm::cli {
namespace {

namespace rbac = engine::rbac;

struct WhoCanFlags {
  std::string verb;
  std::string resource;
  std::vector<std::string> paths;
  std::string namespace_;
  std::string subresource;
  std::string name;
  std::string format = "table";
  bool quiet = false;
  unsigned threads = 0;
};

int Fail(const std::string& message) {
  std::cerr << "kspm: error: " << message << "\n";
  return kExitError;
}

// A subject as a row key: kind, namespace (service accounts only), name.
using SubjectKey = std::tuple<std::string, std::string, std::string>;

std::string BindingName(const rbac::Binding& b) { return b.resource->DisplayName(); }

std::string RuleName(const rbac::Grant& g) {
  const rbac::PolicyRule& rule = *g.rule;
  if (rule.role == nullptr || rule.role->builtin()) return "built-in";
  std::string out = "rules[" + std::to_string(rule.index) + "]";
  if (rule.role != g.binding->role) out = rule.role->DisplayName() + " " + out;
  return out;
}

std::string ScopeName(const rbac::Binding& b) {
  return b.cluster ? "cluster-wide" : "namespace " + std::string(b.namespace_);
}

void WriteString(rapidjson::PrettyWriter<rapidjson::StringBuffer>& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void WriteObjectRef(rapidjson::PrettyWriter<rapidjson::StringBuffer>& w, const core::Resource* r,
                    std::string_view kind, std::string_view ns, std::string_view name) {
  w.StartObject();
  w.Key("kind");
  WriteString(w, kind);
  w.Key("name");
  WriteString(w, name);
  if (!ns.empty()) {
    w.Key("namespace");
    WriteString(w, ns);
  }
  if (r != nullptr) {
    w.Key("file");
    WriteString(w, r->file());
    w.Key("line");
    w.Uint(r->position().line);
  } else {
    w.Key("builtin");
    w.Bool(true);
  }
  w.EndObject();
}

int RunWhoCan(const WhoCanFlags& flags) {
  if (flags.format != "table" && flags.format != "json") {
    return Fail("unknown output format \"" + flags.format + "\" (table, json)");
  }
  if (flags.paths.empty()) return Fail("nothing to scan: give files, folders or - for stdin");

  rbac::Request request;
  rbac::Scope scope;
  rbac::ResourceRef ref;
  request.verb = flags.verb;
  request.name = flags.name;
  std::vector<std::string> notes;
  if (flags.resource.starts_with("/")) {
    if (!flags.subresource.empty() || !flags.name.empty()) {
      return Fail("--subresource and --name apply to resources, not to the non-resource URL " +
                  flags.resource);
    }
    request.non_resource_url = flags.resource;
    scope.cluster_scoped = true;
  } else {
    Result<rbac::ResourceRef> parsed = rbac::ParseResource(flags.resource);
    if (!parsed.ok()) return Fail(parsed.status().message());
    ref = std::move(parsed).value();
    if (!flags.subresource.empty()) {
      if (!ref.subresource.empty() && ref.subresource != flags.subresource) {
        return Fail("the subresource is given twice: " + flags.resource + " and --subresource " +
                    flags.subresource);
      }
      ref.subresource = flags.subresource;
    }
    request.api_group = ref.api_group;
    request.resource = ref.resource;
    request.subresource = ref.subresource;
    scope.cluster_scoped = ref.cluster_scoped;
    if (!ref.known) {
      notes.push_back(ref.resource + "." + ref.api_group +
                      " is not a built-in resource: it is taken to be namespaced");
    }
  }
  if (!flags.namespace_.empty()) {
    if (scope.cluster_scoped) {
      notes.push_back(flags.resource + " is not namespaced: -n " + flags.namespace_ +
                      " is ignored");
    } else {
      scope.any_namespace = false;
      scope.namespace_ = flags.namespace_;
    }
  }

  auto fs = core::MakeLocalFileSystem();
  core::LoadOptions options;
  options.threads = flags.threads;
  core::LoadResult loaded = core::LoadManifests(flags.paths, *fs, options);
  for (const core::Diagnostic& d : loaded.diagnostics) {
    if (d.level == core::DiagnosticLevel::kError) {
      std::cerr << "error: " << d.ToString() << "\n";
    } else if (!flags.quiet) {
      std::cerr << (d.level == core::DiagnosticLevel::kWarning ? "warning: " : "note: ")
                << d.ToString() << "\n";
    }
  }
  // An answer computed from part of the RBAC objects would be wrong, not partial.
  if (loaded.input_error) return Fail("the input could not be read completely; no answer given");

  rbac::Model model = rbac::Model::Build(loaded.inventory);
  std::vector<rbac::Grant> grants = model.WhoCan(request, scope);

  std::vector<const rbac::Binding*> unresolved;
  for (const rbac::Binding& b : model.bindings()) {
    if (b.status == rbac::RoleRefStatus::kMissing) unresolved.push_back(&b);
  }
  if (!unresolved.empty()) {
    std::string list;
    for (size_t i = 0; i < unresolved.size() && i < 5; ++i) {
      list += (i ? ", " : "") + BindingName(*unresolved[i]) + " -> " +
              std::string(unresolved[i]->role_kind) + " " + std::string(unresolved[i]->role_name);
    }
    if (unresolved.size() > 5) list += ", ...";
    notes.push_back(std::to_string(unresolved.size()) + " binding" +
                    (unresolved.size() == 1 ? " references a role" : "s reference roles") +
                    " not in the input, whose permissions are unknown: " + list);
  }
  if (!flags.quiet) {
    for (const std::string& n : notes) std::cerr << "note: " << n << "\n";
  }

  // Subjects in a stable order, each with its grants in binding order.
  std::map<SubjectKey, std::vector<std::pair<const rbac::Subject*, rbac::Grant>>> by_subject;
  for (const rbac::Grant& g : grants) {
    for (const rbac::Subject& s : g.binding->subjects) {
      if (s.name.empty()) continue;
      if (s.kind != "User" && s.kind != "Group" && s.kind != "ServiceAccount") continue;
      if (s.kind == "ServiceAccount" && s.namespace_.empty()) continue;  // matches nobody
      SubjectKey key{std::string(s.kind),
                     s.kind == "ServiceAccount" ? std::string(s.namespace_) : "",
                     std::string(s.name)};
      auto& list = by_subject[key];
      // One binding may list a subject twice, or a rule may repeat: one row each.
      bool seen = std::any_of(list.begin(), list.end(), [&](const auto& p) {
        return p.second.binding == g.binding && p.second.rule == g.rule;
      });
      if (!seen) list.push_back({&s, g});
    }
  }

  if (flags.format == "json") {
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("request");
    w.StartObject();
    w.Key("verb");
    WriteString(w, request.verb);
    if (request.IsResourceRequest()) {
      w.Key("apiGroup");
      WriteString(w, request.api_group);
      w.Key("resource");
      WriteString(w, request.resource);
      if (!request.subresource.empty()) {
        w.Key("subresource");
        WriteString(w, request.subresource);
      }
      if (!request.name.empty()) {
        w.Key("name");
        WriteString(w, request.name);
      }
      w.Key("namespace");
      if (scope.any_namespace || scope.cluster_scoped) {
        w.Null();
      } else {
        WriteString(w, scope.namespace_);
      }
      w.Key("clusterScoped");
      w.Bool(scope.cluster_scoped);
    } else {
      w.Key("nonResourceURL");
      WriteString(w, request.non_resource_url);
    }
    w.EndObject();
    w.Key("subjects");
    w.StartArray();
    for (const auto& [key, list] : by_subject) {
      w.StartObject();
      w.Key("kind");
      WriteString(w, std::get<0>(key));
      if (!std::get<1>(key).empty()) {
        w.Key("namespace");
        WriteString(w, std::get<1>(key));
      }
      w.Key("name");
      WriteString(w, std::get<2>(key));
      w.Key("grants");
      w.StartArray();
      for (const auto& [subject, g] : list) {
        const rbac::Binding& b = *g.binding;
        w.StartObject();
        w.Key("scope");
        WriteString(w, b.cluster ? "cluster" : "namespace");
        if (!b.cluster) {
          w.Key("namespace");
          WriteString(w, b.namespace_);
        }
        w.Key("binding");
        WriteObjectRef(w, b.resource, b.resource->kind, b.cluster ? "" : b.namespace_,
                       b.resource->name);
        w.Key("subjectPointer");
        WriteString(w, subject->Pointer());
        w.Key("role");
        WriteObjectRef(w, b.role->resource(), b.role->kind(), b.role->namespace_(), b.role->name());
        w.Key("rule");
        w.StartObject();
        const rbac::Role* source = g.rule->role;
        w.Key("role");
        WriteObjectRef(w, source->resource(), source->kind(), source->namespace_(), source->name());
        w.Key("index");
        w.Uint(g.rule->index);
        w.Key("pointer");
        WriteString(w, g.rule->Pointer());
        if (source->resource() != nullptr) {
          w.Key("line");
          w.Uint(g.rule->node->position().line);
        }
        w.EndObject();
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.Key("unresolvedBindings");
    w.StartArray();
    for (const rbac::Binding* b : unresolved) {
      w.StartObject();
      w.Key("binding");
      WriteObjectRef(w, b->resource, b->resource->kind, b->cluster ? "" : b->namespace_,
                     b->resource->name);
      w.Key("roleRef");
      w.StartObject();
      w.Key("kind");
      WriteString(w, b->role_kind);
      w.Key("name");
      WriteString(w, b->role_name);
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    std::cout << buf.GetString() << "\n";
    return kExitClean;
  }

  if (by_subject.empty()) {
    std::cout << "No subject in the input can " << flags.verb << " " << flags.resource;
    if (!flags.subresource.empty()) std::cout << "/" << flags.subresource;
    if (!scope.any_namespace) std::cout << " in namespace " << scope.namespace_;
    std::cout << ".\n";
    return kExitClean;
  }
  struct Row {
    std::string cells[7];
  };
  std::vector<Row> rows;
  rows.push_back({{"KIND", "NAMESPACE", "NAME", "SCOPE", "BINDING", "ROLE", "RULE"}});
  for (const auto& [key, list] : by_subject) {
    for (const auto& [subject, g] : list) {
      rows.push_back({{std::get<0>(key), std::get<1>(key).empty() ? "-" : std::get<1>(key),
                       std::get<2>(key), ScopeName(*g.binding), BindingName(*g.binding),
                       g.binding->role->DisplayName(), RuleName(g)}});
    }
  }
  size_t width[7] = {};
  for (const Row& r : rows) {
    for (int i = 0; i < 7; ++i) width[i] = std::max(width[i], r.cells[i].size());
  }
  for (const Row& r : rows) {
    std::string line;
    for (int i = 0; i < 7; ++i) {
      line += r.cells[i];
      if (i < 6) line += std::string(width[i] - r.cells[i].size() + 2, ' ');
    }
    std::cout << line << "\n";
  }
  return kExitClean;
}

}  // namespace

void AddRbacCommand(CLI::App& app, std::function<int()>& run) {
  CLI::App* cmd = app.add_subcommand("rbac", "Explore the RBAC permissions of manifests");
  cmd->require_subcommand(1);
  auto flags = std::make_shared<WhoCanFlags>();
  CLI::App* who = cmd->add_subcommand(
      "who-can",
      "List the subjects that may perform VERB on RESOURCE (RESOURCE[.GROUP][/SUBRESOURCE], "
      "* for everything, or a non-resource URL such as /metrics), with the binding, role and "
      "rule that allow it");
  who->add_option("verb", flags->verb, "get, list, create, ..., or *")->required();
  who->add_option("resource", flags->resource, "pods, deployments.apps, pods/exec, /metrics, *")
      ->required();
  who->add_option("paths", flags->paths, "Files, folders (recursive) or - for stdin");
  who->add_option("-n,--namespace", flags->namespace_,
                  "Only what applies in this namespace (default: every namespace)");
  who->add_option("--subresource", flags->subresource, "Subresource, e.g. exec, log, scale");
  who->add_option("--name", flags->name, "A particular object (for rules with resourceNames)");
  who->add_option("-o,--format", flags->format, "table|json");
  who->add_flag("-q,--quiet", flags->quiet, "Only errors on stderr");
  who->add_option("--threads", flags->threads, "Worker threads for loading (default: all cores)");
  who->callback([flags, &run] { run = [flags] { return RunWhoCan(*flags); }; });
}

}  // namespace kspm::cli
