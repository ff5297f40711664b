/// @file
/// @brief kpi::detail::rare: a member that most objects never use, on the heap only once used (the map
/// form of a histogram's sparse keys, its spilled counts, a call state's caller decisions).
#pragma once

#include <memory>

namespace kpi::detail {

/// A `T` on the heap, or none (a null pointer) until first made: a member that most objects never
/// use costs a pointer instead of sizeof(T). Copies deeply, moves the pointer. Not thread-safe for
/// concurrent writes.
template <class T>
class rare {
 public:
  /// None.
  rare() = default;
  /// A copy of `o`'s object (none when it has none).
  rare(const rare &o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  /// Takes `o`'s object; `o` is left with none.
  rare(rare &&o) noexcept = default;
  /// Replaces this object with a copy of `o`'s. Throws std::bad_alloc (this is then unchanged).
  rare &operator=(const rare &o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  /// Takes `o`'s object; `o` is left with none.
  rare &operator=(rare &&o) noexcept = default;
  ~rare() = default;

  /// The object, or null when none was made.
  [[nodiscard]] const T *get() const noexcept { return p_.get(); }
  /// The object, or null when none was made.
  [[nodiscard]] T *get() noexcept { return p_.get(); }
  /// The object, made (value-initialized) when there is none. Throws std::bad_alloc.
  T &make() {
    if (!p_) p_ = std::make_unique<T>();
    return *p_;
  }
  /// Destroys the object.
  void reset() noexcept { p_.reset(); }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace kpi::detail
