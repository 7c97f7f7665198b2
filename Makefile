# Shortcuts; README.md and .ci/run hold the canonical commands.
.PHONY: plan plan-dev plan-json test vet fmt ci

plan:
	go run ./cmd/plan -stack prod

plan-dev:
	go run ./cmd/plan -stack dev

plan-json:
	go run ./cmd/plan -stack prod -format json

test:
	go test -count=1 ./...

vet:
	go vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

ci:
	bash .ci/run
