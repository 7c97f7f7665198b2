package config

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
)

// decodeStrict decodes a JSON object into the struct that out points to,
// reporting every unknown key and every badly typed value instead of stopping
// at the first (encoding/json's DisallowUnknownFields stops at one). Nested
// struct pointers are decoded the same way, so errors carry full paths such
// as services.producer.cpu.
func decodeStrict(path string, data []byte, out any, errs *Errors) {
	rv := reflect.ValueOf(out).Elem()
	rt := rv.Type()
	fields := map[string]int{}
	known := make([]string, 0, rt.NumField())
	for i := range rt.NumField() {
		name := jsonName(rt.Field(i))
		fields[name] = i
		known = append(known, name)
	}

	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil || raw == nil && !isNull(data) {
		errs.add(path, compact(data), "must be an object with the keys %s", strings.Join(known, ", "))
		return
	}
	names := make([]string, 0, len(raw))
	for name := range raw {
		names = append(names, name)
	}
	sort.Strings(names)

	for _, name := range names {
		key := path + "." + name
		i, ok := fields[name]
		if !ok {
			errs.add(key, "", "%s", unknownKeyProblem(name, known))
			continue
		}
		value := raw[name]
		if isNull(value) {
			continue
		}
		field := rv.Field(i)
		if field.Kind() == reflect.Pointer && field.Type().Elem().Kind() == reflect.Struct {
			field.Set(reflect.New(field.Type().Elem()))
			decodeStrict(key, value, field.Interface(), errs)
			continue
		}
		// Decode into a fresh value and keep it only on success: a bad value
		// stays unset, so it reports one error instead of cascading through
		// checks that would read a half-decoded zero.
		fresh := reflect.New(field.Type())
		if err := json.Unmarshal(value, fresh.Interface()); err != nil {
			errs.add(key, compact(value), "must be %s", describeType(field.Type()))
			continue
		}
		field.Set(fresh.Elem())
	}
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// describeType says in a user's words what a field accepts.
func describeType(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(describeType(t.Elem()), "a ") + "s"
	default:
		return "an object"
	}
}

func isNull(data []byte) bool { return bytes.Equal(bytes.TrimSpace(data), []byte("null")) }

func compact(data []byte) string {
	var buf bytes.Buffer
	if json.Compact(&buf, data) != nil {
		return string(data)
	}
	return buf.String()
}

// jsonKeys lists the keys a struct type accepts, in declaration order; the
// README test uses it to keep the config reference complete.
func jsonKeys(t reflect.Type) []string {
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		keys = append(keys, jsonName(t.Field(i)))
	}
	return keys
}
