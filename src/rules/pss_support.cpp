#include "rules/pss_support.h"

#include <algorithm>

namespace kspm::rules::pss {
namespace {

std::string_view WithArticle(std::string_view type_name) {
  // The fixed set of names NodeTypeName and our callers use.
  if (type_name == "integer") return "an integer";
  if (type_name == "object") return "an object";
  if (type_name == "array") return "an array";
  if (type_name == "boolean") return "a boolean";
  if (type_name == "string") return "a string";
  if (type_name == "number") return "a number";
  return type_name;
}

}  // namespace

std::string QuoteJoin(std::span<const std::string> items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ", ";
    out += '"';
    out += s;
    out += '"';
  }
  return out;
}

std::string QuoteJoin(std::span<const std::string_view> items) {
  std::string out;
  for (std::string_view s : items) {
    if (!out.empty()) out += ", ";
    out += '"';
    out += s;
    out += '"';
  }
  return out;
}

std::string Join(std::span<const std::string> items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

void SortUnique(std::vector<std::string>& items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
}

std::string KeyEqualsQuoted(std::string_view key, std::string_view value) {
  std::string out(key);
  out += '=';
  core::AppendJsonString(out, value);
  return out;
}

std::string ContainersPhrase(std::span<const std::string> names) {
  std::string out(Plural(names.size(), "container", "containers"));
  out += ' ';
  out += QuoteJoin(names);
  return out;
}

Where Where::Pod(const core::PodSpecView& pod) {
  Where w;
  w.kind = Kind::kPod;
  w.base = pod.spec_pointer;
  return w;
}

Where Where::Container(const core::ContainerRef& c) {
  Where w;
  w.kind = Kind::kContainer;
  w.base = c.pointer;
  w.name = c.name;
  return w;
}

Where Where::Volume(const core::PodSpecView& pod, std::string_view name, int index) {
  Where w;
  w.kind = Kind::kVolume;
  w.base = pod.spec_pointer;
  w.name = name;
  w.list = "volumes";
  w.index = index;
  return w;
}

Where Where::Metadata(const core::PodSpecView& pod) {
  Where w;
  w.kind = Kind::kMetadata;
  w.base = pod.metadata_pointer;
  return w;
}

std::string Where::Who() const {
  switch (kind) {
    case Kind::kPod:
      return "pod";
    case Kind::kMetadata:
      return "pod metadata";
    case Kind::kContainer:
    case Kind::kVolume: {
      std::string out(kind == Kind::kContainer ? "container " : "volume ");
      out += '"';
      out += name;
      out += '"';
      return out;
    }
  }
  return "pod";
}

std::string Where::Pointer(std::string_view field) const {
  std::string out(base);
  if (index >= 0) {
    out += '/';
    out += list;
    out += '/';
    out += std::to_string(index);
  }
  if (!field.empty()) {
    out += '/';
    for (char ch : field) out += ch == '.' ? '/' : ch;
  }
  return out;
}

void CheckReport::Value(const Where& where, const core::Node& node, std::string_view field,
                        std::string expected, std::string message) {
  verdict_.Fail(
      engine::BadValue(node, where.Pointer(field), std::move(expected), std::move(message)));
}

void CheckReport::Missing(const Where& where, const core::Node& nearest, std::string_view field,
                          std::string expected, std::string message) {
  verdict_.Fail(
      engine::MissingField(nearest, where.Pointer(field), std::move(expected), std::move(message)));
}

void CheckReport::InvalidType(const Where& where, const core::Node& node, std::string_view field,
                              std::string_view expected_type) {
  std::string subject = where.Who();
  if (!field.empty()) {
    subject += ' ';
    subject += field;
  }
  InvalidTypeAt(node, where.Pointer(field), std::move(subject), expected_type);
}

void CheckReport::InvalidTypeAt(const core::Node& node, std::string pointer, std::string subject,
                                std::string_view expected_type) {
  std::string detail = subject;
  detail += " must be ";
  detail += WithArticle(expected_type);
  detail += ", not ";
  detail += WithArticle(core::NodeTypeName(node.type()));
  std::string message = detail + " (the API server rejects the object as written)";
  verdict_.Fail(engine::BadValue(node, std::move(pointer), std::string(WithArticle(expected_type)),
                                 std::move(message)));
  type_errors_.push_back(std::move(detail));
}

void CheckReport::Finish(std::string_view reason, std::string detail) {
  if (!failed()) return;
  for (std::string& t : type_errors_) {
    if (!detail.empty()) detail += "; ";
    detail += t;
  }
  std::string message(reason);
  if (!detail.empty()) {
    message += " (";
    message += detail;
    message += ')';
  }
  verdict_.SetMessage(std::move(message));
}

const core::Node* Field(const core::Node* parent, std::string_view key) {
  if (parent == nullptr) return nullptr;
  const core::Node* n = parent->Get(key);
  if (n == nullptr || n->IsNull()) return nullptr;
  return n;
}

const core::Node* GetObject(CheckReport& r, const Where& where, const core::Node* parent,
                            std::string_view key, std::string_view field) {
  const core::Node* n = Field(parent, key);
  if (n == nullptr) return nullptr;
  if (!n->IsMapping()) {
    r.InvalidType(where, *n, field, "object");
    return nullptr;
  }
  return n;
}

const core::Node* GetList(CheckReport& r, const Where& where, const core::Node* parent,
                          std::string_view key, std::string_view field) {
  const core::Node* n = Field(parent, key);
  if (n == nullptr) return nullptr;
  if (!n->IsSequence()) {
    r.InvalidType(where, *n, field, "array");
    return nullptr;
  }
  return n;
}

Read<bool> ReadBool(CheckReport& r, const Where& where, const core::Node* parent,
                    std::string_view key, std::string_view field) {
  Read<bool> out;
  out.node = Field(parent, key);
  if (out.node == nullptr) return out;
  out.value = out.node->GetBool();
  if (!out.value) r.InvalidType(where, *out.node, field, "boolean");
  return out;
}

Read<int64_t> ReadInt(CheckReport& r, const Where& where, const core::Node* parent,
                      std::string_view key, std::string_view field) {
  Read<int64_t> out;
  out.node = Field(parent, key);
  if (out.node == nullptr) return out;
  out.value = out.node->GetInt();
  if (!out.value) r.InvalidType(where, *out.node, field, "integer");
  return out;
}

Read<std::string_view> ReadString(CheckReport& r, const Where& where, const core::Node* parent,
                                  std::string_view key, std::string_view field) {
  Read<std::string_view> out;
  out.node = Field(parent, key);
  if (out.node == nullptr) return out;
  out.value = out.node->GetString();
  if (!out.value) r.InvalidType(where, *out.node, field, "string");
  return out;
}

std::optional<std::string_view> ReadStringItem(CheckReport& r, const core::Node& item,
                                               const Where& where, std::string_view field,
                                               size_t index) {
  if (item.IsNull()) return std::string_view();
  if (item.IsString()) return item.string_value();
  std::string subject = where.Who() + " " + std::string(field) + "[" + std::to_string(index) + "]";
  r.InvalidTypeAt(item, where.Pointer(field) + "/" + std::to_string(index), std::move(subject),
                  "string");
  return std::nullopt;
}

void CheckContainerList(CheckReport& r, const core::PodSpecView& pod, core::ContainerKind kind) {
  std::string_view field = core::ContainerListField(kind);
  const core::Node* list = Field(pod.spec, field);
  if (list != nullptr && !list->IsSequence()) r.InvalidType(Where::Pod(pod), *list, field, "array");
}

bool CheckContainerEntry(CheckReport& r, const core::ContainerRef& c) {
  if (c.node->IsMapping() || c.node->IsNull()) return true;  // null: an empty container
  std::string_view pointer = c.pointer;
  size_t last = pointer.rfind('/');
  std::string subject = "pod ";
  subject += core::ContainerListField(c.kind);
  subject += '[';
  subject += pointer.substr(last + 1);
  subject += ']';
  r.InvalidTypeAt(*c.node, c.pointer, std::move(subject), "object");
  return false;
}

bool IsWindowsPod(CheckReport& r, const core::PodSpecView& pod) {
  Where w = Where::Pod(pod);
  const core::Node* os = GetObject(r, w, pod.spec, "os", "os");
  Read<std::string_view> name = ReadString(r, w, os, "name", "os.name");
  return name.value && *name.value == "windows";
}

bool InUserNamespace(CheckReport& r, const core::PodSpecView& pod) {
  Read<bool> host_users = ReadBool(r, Where::Pod(pod), pod.spec, "hostUsers", "hostUsers");
  return host_users.value && !*host_users.value;
}

}  // namespace kspm::rules::pss
