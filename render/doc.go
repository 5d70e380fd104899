// Package render writes what the checker found for people and programs:
// a check's report as text (Text) or JSON (JSON), a trace as the steps
// under a terminal sequence diagram (Steps, with package seqdiagram), as
// a Mermaid sequenceDiagram (Mermaid) or as a JSON document that can be
// read back and replayed (TraceDoc, ParseTraceDoc), and a state graph as
// Graphviz dot (Dot) or JSON (GraphJSON). Verdicts are checker.Status
// values end to end; JSON shows them as words ("holds", "violated",
// "unknown") through their text marshalling.
//
// The property kinds a report names are checker.Kind's (always,
// sometimes, eventually, deadlock, always-step, sometimes-step); the
// statuses checker.Status's: holds, violated, and unknown when an
// incomplete run (a limit, a timeout, Ctrl-C) could not decide.
package render
