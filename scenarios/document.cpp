#include "document.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace wlsim::scenarios {

namespace {
std::uint32_t narrow(std::size_t n) {
  // The loader's file-size limit keeps every document far below this; a bound all the same.
  if (n > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("a scenario document holds more than 2^32 values");
  }
  return static_cast<std::uint32_t>(n);
}
}  // namespace

NodeRef::Kind NodeRef::kind() const noexcept { return doc_->nodes_[index_].kind; }

std::string_view NodeRef::scalar() const noexcept {
  const Document::Node& n = doc_->nodes_[index_];
  if (n.kind != Kind::Scalar) return {};
  return {n.text, n.count};
}

bool NodeRef::plain() const noexcept { return doc_->nodes_[index_].plain; }

TextMark NodeRef::mark() const noexcept { return doc_->nodes_[index_].mark; }

std::uint32_t NodeRef::size() const noexcept {
  const Document::Node& n = doc_->nodes_[index_];
  return n.kind == Kind::Sequence || n.kind == Kind::Map ? n.count : 0;
}

NodeRef NodeRef::item(std::uint32_t i) const noexcept {
  return {doc_, doc_->children_[doc_->nodes_[index_].first + i]};
}

NodeRef NodeRef::key(std::uint32_t i) const noexcept {
  return {doc_, doc_->children_[doc_->nodes_[index_].first + 2 * i]};
}

NodeRef NodeRef::value(std::uint32_t i) const noexcept {
  return {doc_, doc_->children_[doc_->nodes_[index_].first + 2 * i + 1]};
}

std::optional<NodeRef> NodeRef::find(std::string_view k) const noexcept {
  if (!is_map()) return std::nullopt;
  const std::uint32_t n = size();
  for (std::uint32_t i = 0; i < n; ++i) {
    const NodeRef key_node = key(i);
    if (key_node.is_scalar() && key_node.scalar() == k) return value(i);
  }
  return std::nullopt;
}

Document::Document() { root_ = add_null(); }

Document::Index Document::add_null(TextMark mark) {
  nodes_.push_back(Node{NodeRef::Kind::Null, false, 0, 0, nullptr, mark});
  return narrow(nodes_.size() - 1);
}

Document::Index Document::add_scalar(std::string_view text, bool plain, TextMark mark) {
  const char* stored = store(text);
  nodes_.push_back(Node{NodeRef::Kind::Scalar, plain, 0, narrow(text.size()), stored, mark});
  return narrow(nodes_.size() - 1);
}

Document::Index Document::add_sequence(const std::vector<Index>& items, TextMark mark) {
  const std::uint32_t first = narrow(children_.size());
  children_.insert(children_.end(), items.begin(), items.end());
  nodes_.push_back(
      Node{NodeRef::Kind::Sequence, false, first, narrow(items.size()), nullptr, mark});
  return narrow(nodes_.size() - 1);
}

Document::Index Document::add_map(const std::vector<Index>& entries, TextMark mark) {
  const std::uint32_t first = narrow(children_.size());
  children_.insert(children_.end(), entries.begin(), entries.end());
  nodes_.push_back(
      Node{NodeRef::Kind::Map, false, first, narrow(entries.size() / 2), nullptr, mark});
  return narrow(nodes_.size() - 1);
}

const char* Document::store(std::string_view text) {
  // Blocks grow with the document (64 KiB, then doubling) so a large file needs few of them.
  constexpr std::size_t kFirstBlock = std::size_t{64} * 1024;
  if (text.empty()) return "";
  if (blocks_.empty() || block_used_ + text.size() > block_size_) {
    block_size_ = std::max({kFirstBlock, 2 * block_size_, text.size()});
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(block_size_));
    block_used_ = 0;
    block_bytes_ += block_size_;
  }
  char* out = blocks_.back().get() + block_used_;
  text.copy(out, text.size());
  block_used_ += text.size();
  return out;
}

Document::Index Document::copy_from(NodeRef n) {
  switch (n.kind()) {
    case NodeRef::Kind::Null:
      return add_null(n.mark());
    case NodeRef::Kind::Scalar:
      return add_scalar(n.scalar(), n.plain(), n.mark());
    case NodeRef::Kind::Sequence: {
      std::vector<Index> items;
      items.reserve(n.size());
      for (std::uint32_t i = 0; i < n.size(); ++i) items.push_back(copy_from(n.item(i)));
      return add_sequence(items, n.mark());
    }
    case NodeRef::Kind::Map: {
      std::vector<Index> entries;
      entries.reserve(2 * static_cast<std::size_t>(n.size()));
      for (std::uint32_t i = 0; i < n.size(); ++i) {
        entries.push_back(copy_from(n.key(i)));
        entries.push_back(copy_from(n.value(i)));
      }
      return add_map(entries, n.mark());
    }
  }
  return add_null(n.mark());
}

std::size_t Document::bytes() const noexcept {
  return nodes_.capacity() * sizeof(Node) + children_.capacity() * sizeof(Index) + block_bytes_;
}

}  // namespace wlsim::scenarios
