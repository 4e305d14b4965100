#include "document.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>

namespace wlsim::scenarios {

namespace {
// The first block of scalar text; block k holds kFirstBlock << k bytes. 16 blocks hold 4 GiB.
constexpr std::size_t kFirstBlockBits = 16;
constexpr std::size_t kFirstBlock = std::size_t{1} << kFirstBlockBits;
constexpr std::size_t kMaxBlocks = 16;

std::size_t block_size(std::size_t k) { return kFirstBlock << k; }
std::size_t block_begin(std::size_t k) { return kFirstBlock * ((std::size_t{1} << k) - 1); }

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
  if (n.kind != Kind::Scalar || n.count == 0) return {};
  return {doc_->text_at(n.first), n.count};
}

bool NodeRef::plain() const noexcept { return doc_->nodes_[index_].plain; }

TextMark NodeRef::mark() const noexcept {
  return index_ < doc_->marks_.size() ? doc_->marks_[index_] : TextMark{};
}

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

void Document::add_mark(TextMark mark) {
  if (mark.line == 0 && mark.column == 0) return;  // what a node past marks_'s end has
  marks_.resize(nodes_.size());
  marks_.push_back(mark);
}

Document::Index Document::add_null(TextMark mark) {
  add_mark(mark);
  nodes_.push_back(Node{NodeRef::Kind::Null, false, 0, 0});
  return narrow(nodes_.size() - 1);
}

Document::Index Document::add_scalar(std::string_view text, bool plain, TextMark mark) {
  const std::uint32_t stored = store(text);
  add_mark(mark);
  nodes_.push_back(Node{NodeRef::Kind::Scalar, plain, stored, narrow(text.size())});
  return narrow(nodes_.size() - 1);
}

Document::Index Document::add_sequence(const std::vector<Index>& items, TextMark mark) {
  const std::uint32_t first = narrow(children_.size());
  children_.insert(children_.end(), items.begin(), items.end());
  add_mark(mark);
  nodes_.push_back(Node{NodeRef::Kind::Sequence, false, first, narrow(items.size())});
  return narrow(nodes_.size() - 1);
}

Document::Index Document::add_map(const std::vector<Index>& entries, TextMark mark) {
  const std::uint32_t first = narrow(children_.size());
  children_.insert(children_.end(), entries.begin(), entries.end());
  add_mark(mark);
  nodes_.push_back(Node{NodeRef::Kind::Map, false, first, narrow(entries.size() / 2)});
  return narrow(nodes_.size() - 1);
}

std::uint32_t Document::store(std::string_view text) {
  if (text.empty()) return 0;
  if (blocks_.empty() || block_used_ + text.size() > block_size(block_)) {
    // The next block, or a later one if the text needs more: blocks between stay empty, so that
    // every offset keeps naming its block.
    std::size_t k = blocks_.empty() ? 0 : block_ + 1;
    while (block_size(k) < text.size()) ++k;
    if (k >= kMaxBlocks)
      throw std::length_error("a scenario document holds more than 4 GiB of text");
    if (blocks_.size() <= k) blocks_.resize(k + 1);
    blocks_[k] = std::make_unique_for_overwrite<char[]>(block_size(k));
    block_bytes_ += block_size(k);
    block_ = k;
    block_used_ = 0;
  }
  char* out = blocks_[block_].get() + block_used_;
  text.copy(out, text.size());
  const std::size_t offset = block_begin(block_) + block_used_;
  block_used_ += text.size();
  return static_cast<std::uint32_t>(offset);
}

const char* Document::text_at(std::uint32_t offset) const noexcept {
  const std::size_t k =
      static_cast<std::size_t>(std::bit_width((std::size_t{offset} >> kFirstBlockBits) + 1)) - 1;
  return blocks_[k].get() + (offset - block_begin(k));
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
  return nodes_.capacity() * sizeof(Node) + children_.capacity() * sizeof(Index) +
         marks_.capacity() * sizeof(TextMark) + block_bytes_;
}

}  // namespace wlsim::scenarios
