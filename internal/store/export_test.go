package store

// SetHookBeforeStats lets the tests commit another batch between a batch's
// insert and its statistics update.
func SetHookBeforeStats(f func()) { hookBeforeStats = f }
