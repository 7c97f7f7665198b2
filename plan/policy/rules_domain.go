package policy

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// tCertificate is the ACM certificate the domain component requests.
const tCertificate = "aws:acm/certificate:Certificate"

// acmRules are Security Hub's ACM controls (Security Hub user guide,
// "Security Hub controls for AWS Certificate Manager"). ACM.1 is checked
// by AWS Config against the certificate's expiry date, which only exists
// after issue; offline the plan checks what decides whether renewal
// happens by itself: ACM renews the certificates it issued with DNS
// validation, never imported ones, and email-validated ones only when
// someone answers the mail (same page, Remediation).
var acmRules = []Rule{
	{ID: "ACM.1", Title: "Imported and ACM-issued certificates are renewed before they expire", Severity: Medium, Types: []string{tCertificate},
		Fix: "request the certificate from ACM with validationMethod DNS and keep its validation records (components/domain does both)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			switch {
			case str(r, "certificateBody") != "" || str(r, "privateKey") != "":
				return []string{"imported certificate: ACM never renews it"}
			case str(r, "certificateAuthorityArn") != "":
				return nil // private CA: ACM renews it without validation
			case str(r, "validationMethod") != "DNS":
				return []string{fmt.Sprintf("validationMethod %q: renewal waits for someone to answer ACM's mail", str(r, "validationMethod"))}
			}
			return nil
		}},
	{ID: "ACM.2", Title: "RSA certificates managed by ACM use a key length of at least 2,048 bits", Severity: High, Types: []string{tCertificate},
		Fix: "set keyAlgorithm RSA_2048 (ACM's default) or stronger",
		Check: func(_ *Stack, r *plan.Resource) []string {
			alg := str(r, "keyAlgorithm")
			bits, err := strconv.Atoi(strings.TrimPrefix(alg, "RSA_"))
			return onlyIf(strings.HasPrefix(alg, "RSA_") && err == nil && bits < 2048, fmt.Sprintf("keyAlgorithm %s", alg))
		}},
}
