package cost

import "github.com/pushplatform/pushplatform/plan"

// The serverless and edge kinds cost nothing at idle: each gets a $0 line
// (so it shows up) and its traffic prices on top.

func priceDistribution(b *builder, r *plan.Resource) {
	b.add(r, "CloudFront distribution "+r.Name, 0, PriceCloudFrontGB, "idle: within the always-free 1 TB and 10M requests a month")
	b.onTop("CloudFront data out, Europe", PriceCloudFrontGB)
	b.onTop("CloudFront HTTPS requests, Europe", PriceCloudFrontHTTPS10k)
}

func priceCloudFrontFunction(b *builder, r *plan.Resource) {
	b.add(r, "CloudFront function "+r.Name, 0, PriceCloudFrontFnMillion, "idle: within the free 2M invocations")
	b.onTop("CloudFront Functions invocations", PriceCloudFrontFnMillion)
}

func priceFirehose(b *builder, r *plan.Resource) {
	b.add(r, "Firehose stream "+r.Name, 0, PriceFirehoseGB, "idle: no records")
	b.onTop("Firehose ingestion", PriceFirehoseGB)
}

func priceQueue(b *builder, r *plan.Resource) {
	b.add(r, "SQS queue "+r.Name, 0, PriceSQSMillion, "idle: no requests (first 1M a month free)")
	b.onTop("SQS requests", PriceSQSMillion)
}
