package main

// schema is the package schema of the two resources this stand-in serves, with upstream's
// property names, types and secret outputs.
func schema(version string) map[string]any {
	prop := func(t string) map[string]any { return map[string]any{"type": t} }
	inputs := map[string]any{
		"keepers":         map[string]any{"type": "object", "additionalProperties": map[string]any{"$ref": "pulumi.json#/Any"}},
		"length":          prop("integer"),
		"lower":           prop("boolean"),
		"minLower":        prop("integer"),
		"minNumeric":      prop("integer"),
		"minSpecial":      prop("integer"),
		"minUpper":        prop("integer"),
		"number":          prop("boolean"),
		"numeric":         prop("boolean"),
		"overrideSpecial": prop("string"),
		"special":         prop("boolean"),
		"upper":           prop("boolean"),
	}
	required := []string{"length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper", "number", "numeric", "result", "special", "upper"}
	resource := func(secretResult bool, extra map[string]any, extraRequired ...string) map[string]any {
		outputs := map[string]any{}
		for k, v := range inputs {
			outputs[k] = v
		}
		outputs["result"] = map[string]any{"type": "string", "secret": secretResult}
		for k, v := range extra {
			outputs[k] = v
		}
		return map[string]any{
			"inputProperties": inputs,
			"requiredInputs":  []string{"length"},
			"properties":      outputs,
			"required":        append(append([]string{}, required...), extraRequired...),
		}
	}
	return map[string]any{
		"name":    "random",
		"version": version,
		"resources": map[string]any{
			passwordType: resource(true, map[string]any{"bcryptHash": map[string]any{"type": "string", "secret": true}}, "bcryptHash"),
			stringType:   resource(false, nil),
		},
	}
}
