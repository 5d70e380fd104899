//go:build race

package checker

// raceDetector: the race detector's shadow memory inflates the resident
// memory several times over, so tests of the memory limit check only
// that the run stops, not how much memory it used.
const raceDetector = true
