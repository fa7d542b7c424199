//! Fix tests for guide and script fixes.
