#pragma once
// A node: allocatable resources, what is requested of them, an image cache, and the kubelet's image
// puller, which by default pulls one image at a time (serialized pulls, SEMANTICS.md §3), else up
// to maxParallelImagePulls at once.

#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "wlsim/engine/simulator.hpp"
#include "wlsim/models/container_spec.hpp"
#include "wlsim/models/context.hpp"
#include "wlsim/models/registry.hpp"
#include "wlsim/models/resources.hpp"
#include "wlsim/models/schedulable.hpp"

namespace wlsim::models {

/// Asked for an image and told when it is on the node.
class ImageRequester {
 public:
  /// Its turn in the node's pull queue came (a pull slot is free) and the registry is being asked.
  virtual void on_pull_started() = 0;
  virtual void on_image_ready(bool pulled) = 0;  ///< pulled = false: it was already present
  /// The pull failed; `message` is the kubelet's text ("rpc error: code = NotFound desc = ...").
  virtual void on_image_failed(const std::string& message) = 0;

 protected:
  ~ImageRequester() = default;
};

/// Told whenever a node's free resources change: the scheduler keeps its index of nodes by free
/// capacity with this, so that it never has to look at every node.
class CapacityObserver {
 public:
  /// The node registered as `node` had `before` schedulable free; `Node::schedulable_free()` is
  /// what it has now.
  virtual void on_free_changed(std::size_t node, const Resources& before) = 0;

 protected:
  ~CapacityObserver() = default;
};

class Node final : public engine::EventHandler, public TransferClient {
 public:
  /// `pool`: the index of its node pool in the cluster spec.
  Node(const Context& ctx, std::string name, Resources allocatable, engine::Time pod_setup,
       Registry& registry, std::size_t pool = 0);
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  ~Node();

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const Resources& allocatable() const noexcept { return allocatable_; }
  [[nodiscard]] const Resources& requested() const noexcept { return requested_; }
  [[nodiscard]] Resources free() const noexcept { return allocatable_ - requested_; }
  [[nodiscard]] std::size_t pool() const noexcept { return pool_; }

  /// What the scheduler may still place here: free() less the room nominated to preemptors, or
  /// kNoRoom while the node is NotReady, cordoned or deleted (so that even an empty request does
  /// not fit). The capacity observer is told of every change of it.
  [[nodiscard]] Resources schedulable_free() const noexcept { return schedulable_free_; }
  static constexpr Resources kNoRoom{-1, -1, -1};
  /// Whether new pods may be placed here at all (Ready, not cordoned, not deleted).
  [[nodiscard]] bool schedulable() const noexcept { return ready_ && !cordoned_ && !deleted_; }
  [[nodiscard]] bool ready() const noexcept { return ready_; }
  /// NotReady (a node failure) or Ready again.
  void set_ready(bool ready);
  [[nodiscard]] bool cordoned() const noexcept { return cordoned_; }
  /// No new pods (the cluster autoscaler is removing it).
  void cordon();
  [[nodiscard]] bool deleted() const noexcept { return deleted_; }
  /// Gone from the cluster for good (scaled down); it stays in the cluster's list, out of use.
  void mark_deleted();
  /// Room held for pods nominated here by preemption (§5): others may not take it.
  [[nodiscard]] const Resources& nominated() const noexcept { return nominated_; }
  void nominate(const Resources& r);
  void unnominate(const Resources& r);

  /// The pods bound here, in the order they were bound. add_pod returns the ticket remove_pod
  /// takes.
  std::uint64_t add_pod(Schedulable& pod);
  void remove_pod(std::uint64_t ticket);
  /// (ticket, pod), in ticket order (tickets only grow: the order they were bound).
  /// A node's few pods fit inline: a small run's pods allocate nothing here.
  using Pods = boost::container::small_vector<std::pair<std::uint64_t, Schedulable*>, 8>;
  [[nodiscard]] const Pods& pods() const noexcept { return pods_; }
  /// The pods bound here now, in bind order: a copy, since evicting one changes the node's list.
  [[nodiscard]] std::vector<Schedulable*> pod_list() const;
  /// Evicts every pod bound here (see Schedulable::evict).
  void evict_pods(EvictionCause cause, std::string_view message) const;
  /// No pod left and nothing requested: it may be deleted.
  [[nodiscard]] bool empty() const noexcept { return pods_.empty() && requested_ == Resources{}; }
  /// Forgets every cached image (a node that comes back, or a new node, starts empty).
  void clear_cache() { cache_.clear(); }
  /// How long a pod's own set-up takes here once it is bound (the `provisioning` stage).
  [[nodiscard]] engine::Time pod_setup() const noexcept { return pod_setup_; }
  void reserve(const Resources& r) { change_requested(r, +1); }
  void release(const Resources& r) { change_requested(r, -1); }
  /// `observer` (or none) is told of every later change of free(), with `key` for this node.
  void set_capacity_observer(CapacityObserver* observer, std::size_t key) noexcept {
    observer_ = observer;
    observer_key_ = key;
  }

  [[nodiscard]] bool has_image(std::string_view uri) const { return cache_.contains(uri); }
  void add_cached_image(const std::string& uri) { cache_.insert(intern(uri)); }

  /// Queues a request for `uri`. With IfNotPresent and the image cached, it is answered at once.
  /// With Always and the image cached, only the registry latency is paid (a digest check).
  /// Requests take the node's pull slots in queue order (one slot with serialized pulls, else
  /// maxParallelImagePulls); each pays its own latency. A request whose image another running
  /// request is already transferring waits for those bytes instead of fetching them again.
  void request_image(ImageRequester& who, const std::string& uri, std::int64_t size_bytes,
                     PullPolicy policy, ImageError error = ImageError::None);
  /// Forgets every request of `who` (its pod went away); a pull under way for it is dropped.
  void cancel_requests(ImageRequester& who);
  /// Requests answered with a pull on this node (one that waited for another's bytes counts).
  [[nodiscard]] std::uint64_t pulls() const noexcept { return pulls_; }

 private:
  struct Request {
    ImageRequester* who = nullptr;
    std::string_view uri;  // held by images_
    std::int64_t size = 0;
    PullPolicy policy = PullPolicy::IfNotPresent;
    ImageError error = ImageError::None;
    std::uint64_t id = 0;           // its latency timer's token
    bool running = false;           // holds one of the node's pull slots
    engine::TimerId latency_timer;  // pending while it pays the registry latency
    std::uint64_t transfer = 0;     // its registry transfer, once the latency is paid
    // Latency paid; waits for the transfer of the same image that another request began (the
    // runtime fetches each layer once).
    bool riding = false;
  };
  using Entry = std::list<Request>::iterator;
  void on_event(std::uint64_t token) override;  // the latency of a running request has passed
  void on_transfer_done(std::uint64_t transfer) override;
  void on_transfer_failed(std::uint64_t transfer) override;
  void change_requested(const Resources& r, int sign);
  /// schedulable_free() computed from the node's state.
  [[nodiscard]] Resources room() const noexcept;
  /// Runs `change`, then tells the observer if schedulable_free() moved.
  template <class F>
  void changing_room(F&& change);
  /// How many requests may be pulled at once (§3: one unless serialized pulls are off).
  [[nodiscard]] std::size_t slots() const noexcept;
  /// The running request with this latency token or transfer; queue_.end() if none.
  [[nodiscard]] Entry running_with(std::uint64_t Request::*field, std::uint64_t value);
  /// The first running request that rides the transfer of `uri`; queue_.end() if none.
  [[nodiscard]] Entry first_rider(std::string_view uri);
  Request remove(Entry request);
  /// Gives free slots to waiting requests, in queue order.
  void start_waiting();
  /// The transfer of `uri` ended without the image: its first rider begins its own.
  void hand_over(std::string_view uri);
  void finish(Entry request, bool pulled);
  void fail(Entry request, const std::string& cause);
  /// `uri` as images_ holds it.
  std::string_view intern(const std::string& uri);

  const Context& ctx_;
  std::string name_;
  std::size_t pool_;
  Resources allocatable_;
  Resources requested_;
  Resources nominated_;
  bool ready_ = true;
  bool cordoned_ = false;
  bool deleted_ = false;
  // room(), kept as every change of the node goes through changing_room(): the scheduler reads it
  // for every node it looks at, and it is six saturating sums to make.
  Resources schedulable_free_;
  // A sorted vector, not a map: a node holds tens of pods, and binding or releasing one is an
  // event; a map allocated a node per bind.
  Pods pods_;
  std::uint64_t next_pod_ticket_ = 0;
  CapacityObserver* observer_ = nullptr;
  std::size_t observer_key_ = 0;
  engine::Time pod_setup_;
  Registry& registry_;
  // Every image named here, cached or requested, held once: a request and the cache refer to it
  // rather than each copying it (a pull copied its name twice). The distinct images a node is
  // asked for are few.
  std::set<std::string, std::less<>> images_;
  std::string_view last_interned_;  // of images_: what intern() returned last
  std::set<std::string_view, std::less<>> cache_;  // of images_
  // The running requests come first, all in request order. A requester's requests are found by
  // walking it: it holds only the pulls of this node's pods that have not finished (a map from
  // requester to its requests cost two allocations per pull, and most pulls are never dropped).
  std::list<Request> queue_;
  std::size_t running_ = 0;
  std::uint64_t next_request_ = 1;
  std::uint64_t pulls_ = 0;
};

}  // namespace wlsim::models
