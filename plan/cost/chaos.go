package cost

import "github.com/pushplatform/pushplatform/plan"

// PriceFISActionMinute: AWS FIS bills the minutes each action of a
// running experiment is active, the same in every region but GovCloud; a
// template costs nothing.
var PriceFISActionMinute = Price{0.10, "$/action-minute",
	"AWS FIS pricing page (aws.amazon.com/fis/pricing): $0.10 per action-minute in all regions except GovCloud; templates are free", asOfPages, Verified}

func init() {
	pricers["aws:fis/experimentTemplate:ExperimentTemplate"] = priceExperimentTemplate
}

// priceExperimentTemplate: nothing at idle; each run is billed per
// action-minute (a 10-minute AZ cut is one action for 10 minutes, $1).
func priceExperimentTemplate(b *builder, r *plan.Resource) {
	b.add(r, "FIS experiment template "+r.Name, 0, PriceFISActionMinute, "idle: no experiment running")
	b.onTop("FIS experiment action-minutes", PriceFISActionMinute)
}
