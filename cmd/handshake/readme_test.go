package main

// readmePath is the README, whose shown outputs the tests regenerate.
const readmePath = "../../README.md"
