module github.com/pushplatform/pushplatform

go 1.26
