package policy

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/pushplatform/pushplatform/plan"
)

// The committed stacks have no domain, so the ACM seeds add a certificate.
func seedCertificate(m *mutable, inputs map[string]any) {
	m.add(&plan.Resource{Type: tCertificate, Name: "seed-certificate", Custom: true, Inputs: resource.NewPropertyMapFromMap(inputs)})
}

func init() {
	seeds["ACM.1"] = seed{stack: "dev", mutate: func(m *mutable) {
		seedCertificate(m, map[string]any{"domainName": "example.com", "validationMethod": "EMAIL", "keyAlgorithm": "RSA_2048"})
	}}
	seeds["ACM.2"] = seed{stack: "dev", mutate: func(m *mutable) {
		seedCertificate(m, map[string]any{"domainName": "example.com", "validationMethod": "DNS", "keyAlgorithm": "RSA_1024"})
	}}
}
