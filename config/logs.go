package config

import "slices"

// Logs is the resolved log processing configuration: push-message records
// through Firehose to S3 (Enabled), and the push-processor with the Push
// Messages API reading them (Processing).
type Logs struct {
	Enabled    bool `json:"enabled"`
	Processing bool `json:"processing"`
	// BufferSeconds and BufferMiB: Firehose writes an object when either
	// is reached.
	BufferSeconds int `json:"bufferSeconds"`
	BufferMiB     int `json:"bufferMiB"`
	// Processor sizing.
	ProcessorMemoryMiB      int `json:"processorMemoryMiB"`
	ProcessorTimeoutSeconds int `json:"processorTimeoutSeconds"`
	ProcessorConcurrency    int `json:"processorConcurrency"`
	// MessagesPerKey is the cache's list length per VAPID key; the table
	// keeps each message RetentionDays.
	MessagesPerKey int `json:"messagesPerKey"`
	RetentionDays  int `json:"retentionDays"`
}

// FirehoseEndpoint is the interface endpoint the push gateway needs where
// there is no NAT.
const FirehoseEndpoint = "kinesis-firehose"

func resolveLogs(in LogsInput, net Network, p profile, errs *Errors) Logs {
	l := Logs{
		Enabled:                 deref(in.Enabled, true),
		Processing:              deref(in.Processing, true),
		BufferSeconds:           deref(in.BufferSeconds, p.Logs.BufferSeconds),
		BufferMiB:               deref(in.BufferMiB, 5),
		ProcessorMemoryMiB:      deref(in.ProcessorMemoryMiB, 256),
		ProcessorTimeoutSeconds: deref(in.ProcessorTimeoutSeconds, 60),
		ProcessorConcurrency:    deref(in.ProcessorConcurrency, p.Logs.ProcessorConcurrency),
		MessagesPerKey:          deref(in.MessagesPerKey, 100),
		RetentionDays:           deref(in.RetentionDays, 30),
	}
	checkBounds(errs, "logs", []bounded[int]{
		{"bufferSeconds", l.BufferSeconds, 0, 900, "Firehose's buffering interval"},
		{"bufferMiB", l.BufferMiB, 1, 128, "Firehose's buffering size"},
		{"processorMemoryMiB", l.ProcessorMemoryMiB, 128, 10240, "Lambda memory"},
		{"processorTimeoutSeconds", l.ProcessorTimeoutSeconds, 1, 900, "Lambda timeout"},
		{"processorConcurrency", l.ProcessorConcurrency, 1, 1000, "reserved concurrency"},
		{"messagesPerKey", l.MessagesPerKey, 1, 1000, "the cache's list per VAPID key"},
		{"retentionDays", l.RetentionDays, 1, 365, "the table's item lifetime"},
	})
	if l.Processing && !l.Enabled {
		errs.add("logs.processing", "true", "needs logs.enabled: the processor reads the records Firehose writes; set logs.processing false too")
	}
	// Checked only where the network's own checks found the list sound, so
	// one mistake is reported once.
	sound := len(net.InterfaceEndpoints) > 0 && len(missingEndpoints(net.InterfaceEndpoints)) == 0 &&
		!slices.ContainsFunc(net.InterfaceEndpoints, func(e string) bool { _, ok := InterfaceServices[e]; return !ok })
	if l.Enabled && net.NATGateways == NATNone && sound && !slices.Contains(net.InterfaceEndpoints, FirehoseEndpoint) {
		errs.add("network.interfaceEndpoints", quote(joinStrings(net.InterfaceEndpoints)),
			"lacks %s, which the push gateway sends records to; with network.natGateways None nothing else reaches Firehose: add it, or set logs.enabled false", FirehoseEndpoint)
	}
	return l
}

func joinStrings(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ","
		}
		out += v
	}
	return out
}
