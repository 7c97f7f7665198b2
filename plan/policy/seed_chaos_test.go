package policy

// Seeds of the chaos rules: each breaks what its rule checks in prod.
func init() {
	seeds["PP.FIS.1"] = seed{mutate: func(m *mutable) {
		m.set(tExperiment, "chaos-az-cut", "stopConditions", []any{map[string]any{"source": "none"}})
	}}
	seeds["PP.FIS.2"] = seed{mutate: func(m *mutable) { m.set(tExperiment, "chaos-mysql-failover", "logConfiguration", nil) }}
}
