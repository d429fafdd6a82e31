//! Question-bank model, lenient parser, canonical formatter and JSON export.
