package queue

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"
)

// UseLogger sends go-redis's own messages (pool and dial failures) to log
// as JSON warnings instead of plain lines on stderr. The client never puts
// the AUTH token in them.
func UseLogger(log *slog.Logger) { redis.SetLogger(slogPrintf{log}) }

type slogPrintf struct{ log *slog.Logger }

func (s slogPrintf) Printf(ctx context.Context, format string, v ...any) {
	s.log.WarnContext(ctx, fmt.Sprintf(format, v...), "component", "go-redis")
}
