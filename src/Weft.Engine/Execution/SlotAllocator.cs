namespace Weft.Engine.Execution;

/// <summary>What <see cref="SlotAllocator.TryAcquire"/> answered.</summary>
internal enum SlotGrant
{
    /// <summary>The slots are the caller's until it releases them.</summary>
    Granted,

    /// <summary>The task's pool is full (or its free slots are held for a higher-priority task).</summary>
    PoolBusy,

    /// <summary>The process's parallelism is used up (or its last slot is held for a higher-priority task).</summary>
    GlobalBusy,
}

/// <summary>
/// The task slots of one process, shared by every run executing in it: a global parallelism (one slot per
/// running task) and the pools (<c>pool_slots</c> per task). Thread-safe. A caller that is refused is
/// remembered as a waiter with its priority and woken through its <see cref="AsyncSignal"/> when slots it
/// could use come free; while a higher-priority waiter could take the free slots, a lower-priority request
/// that would leave it short is refused, so the best waiting task gets the next free slot.
/// </summary>
internal sealed class SlotAllocator
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _used = new(StringComparer.Ordinal);
    private readonly Dictionary<AsyncSignal, List<(string Pool, int Slots)>> _held = [];
    private readonly List<Waiter> _waiters = [];
    private Dictionary<string, int> _sizes;
    private int _running;

    /// <param name="parallelism">Tasks running at once across all runs.</param>
    /// <param name="poolSlots">Slots of each pool by name.</param>
    /// <param name="defaultPoolSlots">Slots of a pool not in <paramref name="poolSlots"/>.</param>
    public SlotAllocator(int parallelism = int.MaxValue, IReadOnlyDictionary<string, int>? poolSlots = null, int defaultPoolSlots = 128)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parallelism);
        Parallelism = parallelism;
        DefaultPoolSlots = defaultPoolSlots;
        _sizes = poolSlots is null ? new(StringComparer.Ordinal) : new(poolSlots, StringComparer.Ordinal);
    }

    /// <summary>Tasks running at once across all runs.</summary>
    public int Parallelism { get; }

    /// <summary>Slots of a pool that has no size of its own.</summary>
    public int DefaultPoolSlots { get; }

    /// <summary>Tasks holding slots now.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>The size of a pool.</summary>
    public int PoolSize(string pool)
    {
        lock (_gate)
        {
            return SizeOf(pool);
        }
    }

    /// <summary>Slots of a pool in use.</summary>
    public int InUse(string pool)
    {
        lock (_gate)
        {
            return _used.GetValueOrDefault(pool);
        }
    }

    /// <summary>Replaces the pool sizes (pools are resized in the database while runs execute).</summary>
    public void SetPoolSizes(IReadOnlyDictionary<string, int> poolSlots)
    {
        lock (_gate)
        {
            _sizes = new Dictionary<string, int>(poolSlots, StringComparer.Ordinal);
            WakeLocked();
        }
    }

    /// <summary>
    /// Takes one parallelism slot and <paramref name="slots"/> of <paramref name="pool"/> for <paramref name="owner"/>,
    /// or records the owner as waiting for them with <paramref name="priority"/>.
    /// </summary>
    public SlotGrant TryAcquire(AsyncSignal owner, string pool, int slots, int priority)
    {
        lock (_gate)
        {
            var grant = Decide(owner, pool, slots, priority);
            if (grant == SlotGrant.Granted)
            {
                _running++;
                _used[pool] = _used.GetValueOrDefault(pool) + slots;
                if (!_held.TryGetValue(owner, out var list))
                {
                    _held[owner] = list = [];
                }

                list.Add((pool, slots));
            }
            else
            {
                AddWaiter(owner, pool, slots, priority);
            }

            return grant;
        }
    }

    /// <summary>Gives back what one <see cref="TryAcquire"/> took, and wakes waiters that can now start.</summary>
    public void Release(AsyncSignal owner, string pool, int slots)
    {
        lock (_gate)
        {
            if (_held.TryGetValue(owner, out var list) && list.Remove((pool, slots)))
            {
                Free(pool, slots);
                WakeLocked();
            }
        }
    }

    /// <summary>Forgets the owner's waits; a loop calls it before it tries again, so only current needs hold slots back.</summary>
    public void ClearWaits(AsyncSignal owner)
    {
        lock (_gate)
        {
            if (_waiters.RemoveAll(w => w.Owner == owner) > 0)
            {
                // A lower-priority waiter may have stood back for these.
                WakeLocked();
            }
        }
    }

    /// <summary>Releases everything the owner still holds and forgets its waits (its run ended, perhaps abruptly).</summary>
    public void ReleaseAll(AsyncSignal owner)
    {
        lock (_gate)
        {
            if (_held.Remove(owner, out var list))
            {
                foreach (var (pool, slots) in list)
                {
                    Free(pool, slots);
                }
            }

            _waiters.RemoveAll(w => w.Owner == owner);
            WakeLocked();
        }
    }

    private SlotGrant Decide(AsyncSignal owner, string pool, int slots, int priority)
    {
        if (_running >= Parallelism)
        {
            return SlotGrant.GlobalBusy;
        }

        if (_used.GetValueOrDefault(pool) + slots > SizeOf(pool))
        {
            return SlotGrant.PoolBusy;
        }

        foreach (var w in _waiters)
        {
            if (w.Owner == owner || w.Priority <= priority || !Fits(w.Pool, w.Slots, 0, null, 0))
            {
                continue;
            }

            // A better task elsewhere could start now; refuse only when taking these slots would stop it.
            if (_running + 1 >= Parallelism)
            {
                return SlotGrant.GlobalBusy;
            }

            if (!Fits(w.Pool, w.Slots, 1, pool, slots))
            {
                return SlotGrant.PoolBusy;
            }
        }

        return SlotGrant.Granted;
    }

    /// <summary>True when a task of <paramref name="pool"/> needing <paramref name="slots"/> fits, after a hypothetical extra grant.</summary>
    private bool Fits(string pool, int slots, int extraTasks, string? extraPool, int extraSlots)
    {
        var used = _used.GetValueOrDefault(pool) + (extraPool == pool ? extraSlots : 0);
        return _running + extraTasks < Parallelism && used + slots <= SizeOf(pool);
    }

    private void AddWaiter(AsyncSignal owner, string pool, int slots, int priority)
    {
        // One entry per owner and pool: its best task. The owner's own queue orders the rest.
        var i = _waiters.FindIndex(w => w.Owner == owner && w.Pool == pool);
        if (i < 0)
        {
            _waiters.Add(new Waiter(owner, pool, slots, priority));
        }
        else if (_waiters[i].Priority < priority)
        {
            _waiters[i] = new Waiter(owner, pool, slots, priority);
        }
    }

    private void Free(string pool, int slots)
    {
        _running--;
        _used[pool] = _used.GetValueOrDefault(pool) - slots;
    }

    /// <summary>Signals, best first, every waiter that the free slots can serve (as if the better ones took theirs).</summary>
    private void WakeLocked()
    {
        if (_waiters.Count == 0)
        {
            return;
        }

        var freeTasks = Parallelism - _running;
        var taken = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in _waiters.OrderByDescending(w => w.Priority))
        {
            if (freeTasks <= 0)
            {
                break;
            }

            var used = _used.GetValueOrDefault(w.Pool) + taken.GetValueOrDefault(w.Pool);
            if (used + w.Slots <= SizeOf(w.Pool))
            {
                freeTasks--;
                taken[w.Pool] = taken.GetValueOrDefault(w.Pool) + w.Slots;
                w.Owner.Set();
            }
        }
    }

    private int SizeOf(string pool) => _sizes.TryGetValue(pool, out var n) ? n : DefaultPoolSlots;

    private sealed record Waiter(AsyncSignal Owner, string Pool, int Slots, int Priority);
}
