// ThreadSanitizer annotations for Debian's abseil (QANTARA_SANITIZE=thread only).
//
// absl::Mutex, absl::CondVar and absl::Notification synchronise through
// atomics and futexes inside libabsl_synchronization.so, which Debian builds
// without TSan. TSan then sees none of their happens-before edges, and every
// ABSL_GUARDED_BY member read by two threads in turn is reported as a race
// (storage_cache_budget_test alone: 569 reports without this library, in
// flat_hash_maps, caches and shared_ptrs under a held absl::Mutex; none
// with it). Suppressing those would hide qantara's real
// races, so instead this library (linked into every binary of the TSan build,
// ahead of abseil) interposes the out-of-line entry points of those classes
// and tells TSan what abseil's own TSan build would (ABSL_TSAN_MUTEX_* in
// absl/synchronization/mutex.cc): which mutex is taken, released, in which
// mode. Each wrapper calls the real function (dlsym RTLD_NEXT).
//
// The wrappers are defined by their mangled names (abseil 20220623, inline
// namespace `debian3`), so this file includes no abseil header. A member
// function takes `this` first; absl::Duration and absl::Time are trivially
// copyable 16-byte values, passed as such. If a symbol is missing (another
// abseil build), the wrapper aborts at the first call, naming it.
//
// Not annotated, as in abseil's TSan build: the waits' internals. Accesses
// made while abseil evaluates a Condition (qantara code reading guarded
// state, possibly on the unlocking thread) are ignored, as abseil does.
#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

struct Duration {  // absl::Duration's layout (and absl::Time's: one Duration)
  int64_t hi;
  uint32_t lo;
};

void* Real(const char* name) {
  void* f = dlsym(RTLD_NEXT, name);
  if (f == nullptr) {
    std::fprintf(stderr, "absl_tsan: %s not found in abseil (another abseil version?)\n", name);
    std::abort();
  }
  return f;
}

// Abseil calls its own entry points too (WaitWithTimeout calls
// WaitWithDeadline, Notification locks its mutex), through the PLT, so into
// these wrappers: only the outermost call of a thread is annotated.
thread_local int depth = 0;
struct Depth {
  Depth() : outer(depth++ == 0) {}
  ~Depth() { --depth; }
  const bool outer;
};

// The real function `name` of type F, looked up once, and `outer`: whether
// this call is to be annotated (not made by abseil itself).
#define QANTARA_REAL(F, name)                                \
  static const auto real = reinterpret_cast<F>(Real(#name)); \
  const Depth guard;                                         \
  const bool outer = guard.outer

constexpr unsigned kRead = __tsan_mutex_read_lock;

// Around a call that releases `mu` (held in mode `flags`) and holds it again
// on return (Await, CondVar::Wait): what TSan sees is an unlock then a lock.
// Null `mu`: nothing (a call made by abseil itself).
struct Reacquire {
  Reacquire(void* mu, unsigned flags) : mu(mu), flags(flags) {
    if (mu != nullptr) __tsan_mutex_pre_unlock(mu, flags);
  }
  ~Reacquire() {
    if (mu == nullptr) return;
    __tsan_mutex_post_unlock(mu, flags);
    __tsan_mutex_pre_lock(mu, flags);
    __tsan_mutex_post_lock(mu, flags, 0);
  }
  void* mu;
  unsigned flags;
};

}  // namespace

extern "C" {

// ---- absl::Mutex ----

void _ZN4absl7debian35Mutex4LockEv(void* mu) {
  QANTARA_REAL(void (*)(void*), _ZN4absl7debian35Mutex4LockEv);
  if (outer) __tsan_mutex_pre_lock(mu, 0);
  real(mu);
  if (outer) __tsan_mutex_post_lock(mu, 0, 0);
}

void _ZN4absl7debian35Mutex10ReaderLockEv(void* mu) {
  QANTARA_REAL(void (*)(void*), _ZN4absl7debian35Mutex10ReaderLockEv);
  if (outer) __tsan_mutex_pre_lock(mu, kRead);
  real(mu);
  if (outer) __tsan_mutex_post_lock(mu, kRead, 0);
}

void _ZN4absl7debian35Mutex6UnlockEv(void* mu) {
  QANTARA_REAL(void (*)(void*), _ZN4absl7debian35Mutex6UnlockEv);
  if (outer) __tsan_mutex_pre_unlock(mu, 0);
  real(mu);
  if (outer) __tsan_mutex_post_unlock(mu, 0);
}

void _ZN4absl7debian35Mutex12ReaderUnlockEv(void* mu) {
  QANTARA_REAL(void (*)(void*), _ZN4absl7debian35Mutex12ReaderUnlockEv);
  if (outer) __tsan_mutex_pre_unlock(mu, kRead);
  real(mu);
  if (outer) __tsan_mutex_post_unlock(mu, kRead);
}

bool _ZN4absl7debian35Mutex7TryLockEv(void* mu) {
  QANTARA_REAL(bool (*)(void*), _ZN4absl7debian35Mutex7TryLockEv);
  if (outer) __tsan_mutex_pre_lock(mu, __tsan_mutex_try_lock);
  const bool locked = real(mu);
  if (outer)
    __tsan_mutex_post_lock(
        mu, locked ? __tsan_mutex_try_lock : __tsan_mutex_try_lock | __tsan_mutex_try_lock_failed, 0);
  return locked;
}

bool _ZN4absl7debian35Mutex13ReaderTryLockEv(void* mu) {
  QANTARA_REAL(bool (*)(void*), _ZN4absl7debian35Mutex13ReaderTryLockEv);
  if (outer) __tsan_mutex_pre_lock(mu, __tsan_mutex_try_read_lock);
  const bool locked = real(mu);
  if (outer)
    __tsan_mutex_post_lock(mu, locked ? __tsan_mutex_try_read_lock : __tsan_mutex_try_read_lock_failed, 0);
  return locked;
}

void _ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE(void* mu, const void* cond) {
  QANTARA_REAL(void (*)(void*, const void*), _ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE);
  if (outer) __tsan_mutex_pre_lock(mu, 0);
  real(mu, cond);
  if (outer) __tsan_mutex_post_lock(mu, 0, 0);
}

void _ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE(void* mu, const void* cond) {
  QANTARA_REAL(void (*)(void*, const void*), _ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE);
  if (outer) __tsan_mutex_pre_lock(mu, kRead);
  real(mu, cond);
  if (outer) __tsan_mutex_post_lock(mu, kRead, 0);
}

// The timed LockWhen variants hold the mutex on return whatever they return.
bool _ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE(void* mu, const void* cond,
                                                                                 Duration d) {
  QANTARA_REAL(bool (*)(void*, const void*, Duration),
               _ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE);
  if (outer) __tsan_mutex_pre_lock(mu, 0);
  const bool r = real(mu, cond, d);
  if (outer) __tsan_mutex_post_lock(mu, 0, 0);
  return r;
}

bool _ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE(void* mu, const void* cond,
                                                                              Duration t) {
  QANTARA_REAL(bool (*)(void*, const void*, Duration),
               _ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE);
  if (outer) __tsan_mutex_pre_lock(mu, 0);
  const bool r = real(mu, cond, t);
  if (outer) __tsan_mutex_post_lock(mu, 0, 0);
  return r;
}

bool _ZN4absl7debian35Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE(void* mu,
                                                                                       const void* cond,
                                                                                       Duration d) {
  QANTARA_REAL(bool (*)(void*, const void*, Duration),
               _ZN4absl7debian35Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE);
  if (outer) __tsan_mutex_pre_lock(mu, kRead);
  const bool r = real(mu, cond, d);
  if (outer) __tsan_mutex_post_lock(mu, kRead, 0);
  return r;
}

bool _ZN4absl7debian35Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE(void* mu,
                                                                                    const void* cond,
                                                                                    Duration t) {
  QANTARA_REAL(bool (*)(void*, const void*, Duration),
               _ZN4absl7debian35Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE);
  if (outer) __tsan_mutex_pre_lock(mu, kRead);
  const bool r = real(mu, cond, t);
  if (outer) __tsan_mutex_post_lock(mu, kRead, 0);
  return r;
}

// Await may release the mutex and take it again in the same mode; the mode
// is not passed, so a writer's is assumed (a reader's Await is annotated as
// a writer's: TSan then sees a stronger order than there is, never a weaker
// one; qantara awaits only with writer locks).
void _ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE(void* mu, const void* cond) {
  QANTARA_REAL(void (*)(void*, const void*), _ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE);
  Reacquire r(outer ? mu : nullptr, 0);
  real(mu, cond);
}

bool _ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE(void* mu, const void* cond,
                                                                              Duration d) {
  QANTARA_REAL(bool (*)(void*, const void*, Duration),
               _ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE);
  Reacquire r(outer ? mu : nullptr, 0);
  return real(mu, cond, d);
}

bool _ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE(void* mu, const void* cond,
                                                                           Duration t) {
  QANTARA_REAL(bool (*)(void*, const void*, Duration),
               _ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE);
  Reacquire r(outer ? mu : nullptr, 0);
  return real(mu, cond, t);
}

// The destructor (D1 and D2 are one function in abseil's build).
void _ZN4absl7debian35MutexD1Ev(void* mu) {
  QANTARA_REAL(void (*)(void*), _ZN4absl7debian35MutexD1Ev);
  if (outer) __tsan_mutex_destroy(mu, __tsan_mutex_not_static);
  real(mu);
}
void _ZN4absl7debian35MutexD2Ev(void* mu) {
  QANTARA_REAL(void (*)(void*), _ZN4absl7debian35MutexD2Ev);
  if (outer) __tsan_mutex_destroy(mu, __tsan_mutex_not_static);
  real(mu);
}

// ---- absl::CondVar: Wait releases the mutex (held as a writer) and takes it again ----

void _ZN4absl7debian37CondVar4WaitEPNS0_5MutexE(void* cv, void* mu) {
  QANTARA_REAL(void (*)(void*, void*), _ZN4absl7debian37CondVar4WaitEPNS0_5MutexE);
  Reacquire r(outer ? mu : nullptr, 0);
  real(cv, mu);
}

bool _ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE(void* cv, void* mu, Duration d) {
  QANTARA_REAL(bool (*)(void*, void*, Duration),
               _ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE);
  Reacquire r(outer ? mu : nullptr, 0);
  return real(cv, mu, d);
}

bool _ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE(void* cv, void* mu, Duration t) {
  QANTARA_REAL(bool (*)(void*, void*, Duration),
               _ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE);
  Reacquire r(outer ? mu : nullptr, 0);
  return real(cv, mu, t);
}

// ---- absl::Notification: Notify happens before every wait that sees it ----
// Layout: { absl::Mutex mutex_ (one word); std::atomic<bool> notified_yet_ }.
// HasBeenNotified() is inline (an instrumented acquire load of
// notified_yet_), so Notify releases on that address as well.

static void* NotifiedYet(void* n) { return static_cast<char*>(n) + sizeof(void*); }

void _ZN4absl7debian312Notification6NotifyEv(void* n) {
  QANTARA_REAL(void (*)(void*), _ZN4absl7debian312Notification6NotifyEv);
  if (outer) __tsan_release(n);
  if (outer) __tsan_release(NotifiedYet(n));
  real(n);
}

void _ZNK4absl7debian312Notification19WaitForNotificationEv(void* n) {
  QANTARA_REAL(void (*)(void*), _ZNK4absl7debian312Notification19WaitForNotificationEv);
  real(n);
  if (outer) __tsan_acquire(n);
}

bool _ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE(void* n, Duration d) {
  QANTARA_REAL(bool (*)(void*, Duration),
               _ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE);
  const bool notified = real(n, d);
  if (outer && notified) __tsan_acquire(n);
  return notified;
}

bool _ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE(void* n, Duration t) {
  QANTARA_REAL(bool (*)(void*, Duration),
               _ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE);
  const bool notified = real(n, t);
  if (outer && notified) __tsan_acquire(n);
  return notified;
}

}  // extern "C"
