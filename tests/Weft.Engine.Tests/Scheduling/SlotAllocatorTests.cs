using Weft.Engine.Execution;

namespace Weft.Engine.Tests.Scheduling;

public sealed class SlotAllocatorTests
{
    [Fact]
    public void Pool_LimitsSlots_AndReleaseFreesThem()
    {
        var slots = new SlotAllocator(10, new Dictionary<string, int> { ["one"] = 1 });
        var a = new AsyncSignal();

        Assert.Equal(SlotGrant.Granted, slots.TryAcquire(a, "one", 1, 0));
        Assert.Equal(SlotGrant.PoolBusy, slots.TryAcquire(a, "one", 1, 0));
        Assert.Equal(SlotGrant.Granted, slots.TryAcquire(a, "default_pool", 5, 0));
        slots.Release(a, "one", 1);
        Assert.Equal(SlotGrant.Granted, slots.TryAcquire(a, "one", 1, 0));
        Assert.Equal(2, slots.Running);
    }

    [Fact]
    public void Parallelism_LimitsTasksAcrossPools()
    {
        var slots = new SlotAllocator(2);
        var a = new AsyncSignal();

        Assert.Equal(SlotGrant.Granted, slots.TryAcquire(a, "p", 1, 0));
        Assert.Equal(SlotGrant.Granted, slots.TryAcquire(a, "q", 1, 0));
        Assert.Equal(SlotGrant.GlobalBusy, slots.TryAcquire(a, "r", 1, 0));
    }

    [Fact]
    public async Task Release_WakesTheWaiter()
    {
        var slots = new SlotAllocator(1);
        var holder = new AsyncSignal();
        var waiter = new AsyncSignal();
        slots.TryAcquire(holder, "p", 1, 0);
        Assert.Equal(SlotGrant.GlobalBusy, slots.TryAcquire(waiter, "p", 1, 0));
        var woken = waiter.WaitAsync();
        Assert.False(woken.IsCompleted);

        slots.Release(holder, "p", 1);

        await woken.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(SlotGrant.Granted, slots.TryAcquire(waiter, "p", 1, 0));
    }

    [Fact]
    public void FreedSlot_GoesToTheHigherPriorityWaiter_OfAnotherRun()
    {
        var slots = new SlotAllocator(10, new Dictionary<string, int> { ["one"] = 1 });
        var holder = new AsyncSignal();
        var high = new AsyncSignal();
        var low = new AsyncSignal();
        slots.TryAcquire(holder, "one", 1, 0);
        Assert.Equal(SlotGrant.PoolBusy, slots.TryAcquire(high, "one", 1, 5));

        slots.Release(holder, "one", 1);

        // The low-priority run asks first, but the slot is held for the better waiter.
        Assert.Equal(SlotGrant.PoolBusy, slots.TryAcquire(low, "one", 1, 1));
        Assert.Equal(SlotGrant.Granted, slots.TryAcquire(high, "one", 1, 5));
        Assert.Equal(SlotGrant.PoolBusy, slots.TryAcquire(low, "one", 1, 1));
    }

    [Fact]
    public void HigherPriorityWaiter_DoesNotBlockOtherPools()
    {
        var slots = new SlotAllocator(10, new Dictionary<string, int> { ["one"] = 1, ["two"] = 1 });
        var holder = new AsyncSignal();
        var high = new AsyncSignal();
        var low = new AsyncSignal();
        slots.TryAcquire(holder, "one", 1, 0);
        slots.TryAcquire(high, "one", 1, 9);

        Assert.Equal(SlotGrant.Granted, slots.TryAcquire(low, "two", 1, 0));
    }

    [Fact]
    public void ReleaseAll_GivesBackWhatAnEndedRunHeld()
    {
        var slots = new SlotAllocator(3);
        var run = new AsyncSignal();
        slots.TryAcquire(run, "p", 2, 0);
        slots.TryAcquire(run, "p", 1, 0);

        slots.ReleaseAll(run);

        Assert.Equal(0, slots.Running);
        Assert.Equal(0, slots.InUse("p"));
    }
}
