# invoice_line: exactly the 16 invoicing headers in their order; a field
# with no column is named in a warning, not written.
csv-emit -t invoice_line
