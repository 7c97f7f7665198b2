package policy

// Seeds of the alarm rules: each breaks what its rule checks in prod.
func init() {
	seeds["SNS.1"] = seed{mutate: func(m *mutable) { m.set(tTopic, "observability", "kmsMasterKeyId", nil) }}
	seeds["CloudWatch.15"] = seed{mutate: func(m *mutable) { m.set(tAlarm, "observability-db-cpu", "okActions", []any{}) }}
	seeds["PP.ALARM.2"] = seed{mutate: func(m *mutable) { m.set(tTopic, "observability", "kmsMasterKeyId", "alias/aws/sns") }}
}
