package cost

import (
	"fmt"
	"io"
)

// WriteMarkdownBrief prints the lines and the assumptions without the
// per-line sources and the capacity table: the size a pull-request comment
// can hold (the text and JSON plans carry the sources).
func (e *Estimate) WriteMarkdownBrief(w io.Writer) {
	fmt.Fprintln(w, "| Component | Item | Monthly USD | Status |")
	fmt.Fprintln(w, "|---|---|--:|---|")
	for _, c := range e.Components {
		for _, l := range c.Lines {
			if l.MonthlyUSD == 0 {
				continue // priced per use: listed under the assumptions
			}
			fmt.Fprintf(w, "| %s | %s | %.2f | %s |\n", l.Component, md(l.Item), l.MonthlyUSD, l.Status)
		}
	}
	fmt.Fprintf(w, "| **Total** | | **%.2f** | |\n\n", e.TotalUSD)
	fmt.Fprintln(w, "**Assumptions**")
	fmt.Fprintln(w)
	for _, a := range e.Assumptions {
		fmt.Fprintf(w, "- %s\n", md(a))
	}
	fmt.Fprintf(w, "\nPrices as of %s; every price's source is in the text and JSON plans.\n", md(e.PricesAsOf))
}
