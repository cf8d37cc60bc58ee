using System.Text.Json.Nodes;

namespace McpPlatform.ConformanceServer;

/// <summary>The JSON schemas the conformance scenarios inspect, kept literal so they survive unchanged.</summary>
internal static class Schemas
{
    public const string JsonSchema202012 = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "$defs": {
            "address": {
              "$anchor": "addressDef",
              "type": "object",
              "properties": { "street": { "type": "string" }, "city": { "type": "string" } }
            }
          },
          "properties": {
            "name": { "type": "string" },
            "address": { "$ref": "#/$defs/address" },
            "contactMethod": { "type": "string", "enum": ["phone", "email"] },
            "phone": { "type": "string" },
            "email": { "type": "string" }
          },
          "allOf": [ { "anyOf": [ { "required": ["phone"] }, { "required": ["email"] } ] } ],
          "if": { "properties": { "contactMethod": { "const": "phone" } }, "required": ["contactMethod"] },
          "then": { "required": ["phone"] },
          "else": { "required": ["email"] },
          "additionalProperties": false
        }
        """;

    public static JsonObject Elicitation(string message) => new()
    {
        ["message"] = message,
        ["requestedSchema"] = JsonNode.Parse("""
            {
              "type": "object",
              "properties": {
                "username": { "type": "string", "description": "User's response" },
                "email": { "type": "string", "description": "User's email address" }
              },
              "required": ["username", "email"]
            }
            """),
    };

    public static JsonObject ElicitationDefaults() => new()
    {
        ["message"] = "Please review and update the form fields with defaults",
        ["requestedSchema"] = JsonNode.Parse("""
            {
              "type": "object",
              "properties": {
                "name": { "type": "string", "description": "User name", "default": "John Doe" },
                "age": { "type": "integer", "description": "User age", "default": 30 },
                "score": { "type": "number", "description": "User score", "default": 95.5 },
                "status": { "type": "string", "description": "User status", "enum": ["active", "inactive", "pending"], "default": "active" },
                "verified": { "type": "boolean", "description": "Verification status", "default": true }
              }
            }
            """),
    };

    public static JsonObject ElicitationEnums() => new()
    {
        ["message"] = "Please select options from the enum fields",
        ["requestedSchema"] = JsonNode.Parse("""
            {
              "type": "object",
              "properties": {
                "untitledSingle": { "type": "string", "description": "Untitled single-select", "enum": ["option1", "option2", "option3"] },
                "titledSingle": {
                  "type": "string", "description": "Titled single-select",
                  "oneOf": [
                    { "const": "value1", "title": "First Option" },
                    { "const": "value2", "title": "Second Option" },
                    { "const": "value3", "title": "Third Option" }
                  ]
                },
                "legacyEnum": {
                  "type": "string", "description": "Legacy titled enum",
                  "enum": ["opt1", "opt2", "opt3"], "enumNames": ["Option One", "Option Two", "Option Three"]
                },
                "untitledMulti": {
                  "type": "array", "description": "Untitled multi-select",
                  "items": { "type": "string", "enum": ["option1", "option2", "option3"] }
                },
                "titledMulti": {
                  "type": "array", "description": "Titled multi-select",
                  "items": {
                    "anyOf": [
                      { "const": "value1", "title": "First Choice" },
                      { "const": "value2", "title": "Second Choice" },
                      { "const": "value3", "title": "Third Choice" }
                    ]
                  }
                }
              }
            }
            """),
    };
}
