package config

import (
	"fmt"
	"slices"
)

// fargateMemoryMiB lists the memory sizes Fargate accepts for each CPU size
// (AWS ECS developer guide, "Task CPU and memory"; 8 and 16 vCPU need
// platform version 1.4.0, which LATEST is).
var fargateMemoryMiB = map[int][]int{
	256:   {512, 1024, 2048},
	512:   steps(1024, 4096, 1024),
	1024:  steps(2048, 8192, 1024),
	2048:  steps(4096, 16384, 1024),
	4096:  steps(8192, 30720, 1024),
	8192:  steps(16384, 61440, 4096),
	16384: steps(32768, 122880, 8192),
}

// FargateCPUs are the CPU sizes Fargate accepts, ascending.
var FargateCPUs = []int{256, 512, 1024, 2048, 4096, 8192, 16384}

func steps(from, to, step int) []int {
	var out []int
	for v := from; v <= to; v += step {
		out = append(out, v)
	}
	return out
}

// resolveService applies the profile to one service's input and validates it.
func resolveService(name string, in *ServiceInput, ha bool, p profile, errs *Errors) Service {
	if in == nil {
		in = &ServiceInput{}
	}
	def := p.Service
	if d, ok := p.Apps[name]; ok {
		def = d
	}
	s := Service{
		CPU:          deref(in.CPU, def.CPU),
		MemoryMiB:    deref(in.MemoryMiB, def.MemoryMiB),
		DesiredCount: deref(in.DesiredCount, def.DesiredCount),
		MinCount:     deref(in.MinCount, def.MinCount),
		MaxCount:     deref(in.MaxCount, def.MaxCount),
	}
	key := "services." + name + "."

	if mems, ok := fargateMemoryMiB[s.CPU]; !ok {
		errs.add(key+"cpu", quote(s.CPU), "allowed Fargate CPU units: %s", joinInts(FargateCPUs))
	} else if !slices.Contains(mems, s.MemoryMiB) {
		errs.add(key+"memoryMiB", quote(s.MemoryMiB), "Fargate accepts with cpu %d: %s MiB", s.CPU, joinInts(mems))
	}

	countsOK := true
	for _, c := range []struct {
		name  string
		value int
	}{{"desiredCount", s.DesiredCount}, {"minCount", s.MinCount}, {"maxCount", s.MaxCount}} {
		if c.value < 0 {
			errs.add(key+c.name, quote(c.value), "must not be negative")
			countsOK = false
		}
	}
	if !countsOK {
		return s
	}
	switch {
	case s.MinCount < 1:
		errs.add(key+"minCount", quote(s.MinCount), "must be at least 1: a service with no task serves nothing")
	case s.MinCount > s.MaxCount:
		errs.add(key+"minCount", quote(s.MinCount), "is greater than maxCount %d; need minCount <= desiredCount <= maxCount", s.MaxCount)
	case s.DesiredCount < s.MinCount || s.DesiredCount > s.MaxCount:
		errs.add(key+"desiredCount", quote(s.DesiredCount), "must lie between minCount %d and maxCount %d", s.MinCount, s.MaxCount)
	case ha && s.MinCount < 2:
		errs.add(key+"minCount", quote(s.MinCount), "highAvailability needs at least 2 tasks, so losing one task or one AZ leaves the service up")
	}
	return s
}

// CheckFargateSize says whether Fargate runs a task of cpu units and memory
// MiB, and what it accepts if not.
func CheckFargateSize(cpu, memoryMiB int) error {
	mems, ok := fargateMemoryMiB[cpu]
	if !ok {
		return fmt.Errorf("cpu %d: allowed Fargate CPU units: %s", cpu, joinInts(FargateCPUs))
	}
	if !slices.Contains(mems, memoryMiB) {
		return fmt.Errorf("memory %d MiB: Fargate accepts with cpu %d: %s MiB", memoryMiB, cpu, joinInts(mems))
	}
	return nil
}

func (s Service) String() string {
	return fmt.Sprintf("cpu %d, memory %d MiB, tasks %d (min %d, max %d)", s.CPU, s.MemoryMiB, s.DesiredCount, s.MinCount, s.MaxCount)
}
