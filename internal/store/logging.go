package store

import (
	"fmt"
	"log/slog"

	"github.com/go-sql-driver/mysql"
)

// UseLogger sends the MySQL driver's own messages (broken connections) to
// log as JSON warnings instead of plain lines on stderr. The driver never
// puts the password in them.
func UseLogger(log *slog.Logger) {
	_ = mysql.SetLogger(driverLogger{log})
}

type driverLogger struct{ log *slog.Logger }

func (d driverLogger) Print(v ...any) {
	d.log.Warn(fmt.Sprint(v...), "component", "go-sql-driver/mysql")
}
