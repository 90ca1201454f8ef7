#include "core/label_selector.h"

#include <algorithm>
#include <span>

#include "core/json_pointer.h"

namespace kspm::core {
namespace {

bool IsNullOrAbsent(const Node* n) { return n == nullptr || n->IsNull(); }

// Builds problems for one selector; pointers are spelled out only when a
// problem is reported, so parsing a valid selector allocates no strings.
class ProblemSink {
 public:
  ProblemSink(std::string_view base, std::vector<FieldProblem>& out) : base_(base), out_(out) {}

  void Add(const Node* node, std::string_view suffix, std::string message, bool missing = false) {
    std::string pointer(base_);
    pointer += suffix;
    out_.push_back(FieldProblem{std::move(pointer), node, missing, std::move(message)});
  }
  void Type(const Node& node, std::string_view suffix, std::string_view expected) {
    Add(&node, suffix,
        "must be " + std::string(expected) + ", not " + std::string(NodeTypeName(node.type())));
  }
  size_t Count() const { return out_.size(); }

 private:
  std::string_view base_;
  std::vector<FieldProblem>& out_;
};

std::string ExpressionPointer(uint32_t index, std::string_view field) {
  std::string out = "/matchExpressions/" + std::to_string(index);
  if (!field.empty()) {
    out += '/';
    out += field;
  }
  return out;
}

// The `values` of one expression. Returns false (with problems) when they are
// malformed; `given` is the number of items the list holds, strings or not.
bool ReadValues(const Node* values, uint32_t index, SelectorLeniency leniency,
                std::vector<std::string_view>& out, size_t& given, ProblemSink& problems) {
  given = 0;
  if (IsNullOrAbsent(values)) return true;
  if (!values->IsSequence()) {
    if (leniency.unchecked_values) return true;
    problems.Type(*values, ExpressionPointer(index, "values"), "a list of strings");
    return false;
  }
  bool ok = true;
  uint32_t i = 0;
  for (const Node& item : values->items()) {
    if (auto s = item.GetString()) {
      out.push_back(*s);
    } else if (!leniency.non_string_values && !leniency.unchecked_values) {
      problems.Type(item, ExpressionPointer(index, "values/" + std::to_string(i)), "a string");
      ok = false;
    }
    ++i;
  }
  given = values->size();
  return ok;
}

// One item of matchExpressions; false (with a problem) when it is invalid.
bool ReadExpression(const Node& e, uint32_t index, SelectorLeniency leniency,
                    SelectorRequirement& req, ProblemSink& problems) {
  if (!e.IsMapping()) {
    problems.Type(e, ExpressionPointer(index, ""), "an object");
    return false;
  }
  const Node* key = e.Get("key");
  if (key != nullptr && !key->IsNull() && !key->IsString()) {
    problems.Type(*key, ExpressionPointer(index, "key"), "a string");
    return false;
  }
  if (IsNullOrAbsent(key) || (key->string_value().empty() && !leniency.empty_keys)) {
    problems.Add(key ? key : &e, ExpressionPointer(index, "key"),
                 "Invalid value: \"\": name part must be non-empty", key == nullptr);
    return false;
  }
  req.key = key->string_value();
  const Node* op = e.Get("operator");
  auto op_text = op ? op->GetString() : std::nullopt;
  if (op != nullptr && !op->IsNull() && !op_text) {
    problems.Type(*op, ExpressionPointer(index, "operator"), "a string");
    return false;
  }
  std::string_view text = op_text.value_or("");
  if (text == "In") {
    req.op = SelectorOp::kIn;
  } else if (text == "NotIn") {
    req.op = SelectorOp::kNotIn;
  } else if (text == "Exists") {
    req.op = SelectorOp::kExists;
  } else if (text == "DoesNotExist") {
    req.op = SelectorOp::kDoesNotExist;
  } else {
    problems.Add(op ? op : &e, ExpressionPointer(index, "operator"),
                 "Unsupported value: \"" + std::string(text) +
                     "\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\"",
                 op == nullptr);
    return false;
  }
  const Node* values = e.Get("values");
  size_t given = 0;
  if (!ReadValues(values, index, leniency, req.values, given, problems)) return false;
  bool set_op = req.op == SelectorOp::kIn || req.op == SelectorOp::kNotIn;
  if (!set_op) req.values.clear();  // what Exists and DoesNotExist would ignore
  if (leniency.unchecked_values) return true;
  if (set_op && given == 0) {
    problems.Add(values ? values : &e, ExpressionPointer(index, "values"),
                 "Required value: must be specified when `operator` is 'In' or 'NotIn'",
                 values == nullptr);
    return false;
  }
  if (!set_op && given > 0) {
    problems.Add(values, ExpressionPointer(index, "values"),
                 "Forbidden: may not be specified when `operator` is 'Exists' or "
                 "'DoesNotExist'");
    return false;
  }
  return true;
}

bool Contains(const std::vector<std::string_view>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

}  // namespace

// --- LabelSet --------------------------------------------------------------------

std::optional<std::string_view> LabelSet::Get(std::string_view key) const {
  if (has_name_ && key == kNamespaceNameLabel) return name_;
  if (labels_ == nullptr) return std::nullopt;
  const Node* v = labels_->Get(key);
  if (v == nullptr) return std::nullopt;
  return v->GetString();
}

bool LabelSet::Has(std::string_view key) const {
  if (has_name_ && key == kNamespaceNameLabel) return true;
  if (labels_ == nullptr) return false;
  const Node* v = labels_->Get(key);
  if (v == nullptr) return false;
  return v->IsString() || non_string_ == NonString::kUnequal;
}

std::string LabelSet::ToString() const {
  std::string out;
  for (const Member& m : labels_ ? labels_->members() : std::span<const Member>{}) {
    auto v = m.value.GetString();
    if (!v || (has_name_ && m.key_string() == kNamespaceNameLabel)) continue;
    if (!out.empty()) out += ',';
    out += m.key_string();
    out += '=';
    out += *v;
  }
  if (has_name_) {
    if (!out.empty()) out += ',';
    out += kNamespaceNameLabel;
    out += '=';
    out += name_;
  }
  return out;
}

// --- LabelSelector ---------------------------------------------------------------

LabelSelector LabelSelector::Parse(const Node* node, std::string_view pointer,
                                   std::vector<FieldProblem>& problems, SelectorLeniency leniency) {
  LabelSelector sel;
  if (IsNullOrAbsent(node)) return sel;
  ProblemSink sink(pointer, problems);
  size_t before = sink.Count();
  if (!node->IsMapping()) {
    sink.Type(*node, "", "an object");
    sel.valid_ = false;
    return sel;
  }
  if (!leniency.unknown_fields) {
    for (const Member& m : node->members()) {
      std::string_view key = m.key_string();
      if (key == "matchLabels" || key == "matchExpressions") continue;
      sink.Add(&m.value, "/" + PointerEscape(key),
               "unknown field \"" + std::string(key) +
                   "\": a label selector has only matchLabels and matchExpressions");
    }
  }
  if (const Node* labels = node->Get("matchLabels"); !IsNullOrAbsent(labels)) {
    if (!labels->IsMapping()) {
      sink.Type(*labels, "/matchLabels", "an object");
    } else {
      for (const Member& m : labels->members()) {
        if (auto v = m.value.GetString()) {
          sel.requirements_.push_back({m.key_string(), SelectorOp::kIn, {*v}});
        } else {
          sink.Type(m.value, "/matchLabels/" + PointerEscape(m.key_string()), "a string");
        }
      }
    }
  }
  if (const Node* exprs = node->Get("matchExpressions"); !IsNullOrAbsent(exprs)) {
    if (!exprs->IsSequence()) {
      sink.Type(*exprs, "/matchExpressions", "a list");
      sel.valid_ = false;
      return sel;
    }
    uint32_t i = 0;
    for (const Node& e : exprs->items()) {
      SelectorRequirement req;
      if (ReadExpression(e, i++, leniency, req, sink)) sel.requirements_.push_back(std::move(req));
    }
  }
  sel.valid_ = sink.Count() == before;
  return sel;
}

LabelSelector LabelSelector::Make(std::vector<SelectorRequirement> requirements, bool valid) {
  LabelSelector sel;
  sel.requirements_ = std::move(requirements);
  sel.valid_ = valid;
  return sel;
}

bool LabelSelector::Matches(const LabelSet& labels) const {
  if (!valid_) return false;
  for (const SelectorRequirement& r : requirements_) {
    switch (r.op) {
      case SelectorOp::kIn: {
        auto v = labels.Get(r.key);
        if (!v || !Contains(r.values, *v)) return false;
        break;
      }
      case SelectorOp::kNotIn: {
        auto v = labels.Get(r.key);
        if (v && Contains(r.values, *v)) return false;
        break;
      }
      case SelectorOp::kExists:
        if (!labels.Has(r.key)) return false;
        break;
      case SelectorOp::kDoesNotExist:
        if (labels.Has(r.key)) return false;
        break;
    }
  }
  return true;
}

std::string LabelSelector::ToString() const {
  if (!valid_) return "<invalid>";
  if (requirements_.empty()) return "<all>";
  std::string out;
  for (const SelectorRequirement& r : requirements_) {
    if (!out.empty()) out += ',';
    switch (r.op) {
      case SelectorOp::kExists:
        out += r.key;
        continue;
      case SelectorOp::kDoesNotExist:
        out += '!';
        out += r.key;
        continue;
      case SelectorOp::kIn:
        if (r.values.size() == 1) {
          out += r.key;
          out += '=';
          out += r.values[0];
          continue;
        }
        out += r.key;
        out += " in (";
        break;
      case SelectorOp::kNotIn:
        out += r.key;
        out += " notin (";
        break;
    }
    for (size_t i = 0; i < r.values.size(); ++i) {
      if (i > 0) out += ',';
      out += r.values[i];
    }
    out += ')';
  }
  return out;
}

}  // namespace kspm::core
