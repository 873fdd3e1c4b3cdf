# --crlf ends every row with CR LF; a line break inside a value stays as it
# came, inside quotes.  CR is shown as <CR>.
csv-emit --crlf -t thing | sed 's/\r/<CR>/g'
