"""What the quality officers read and send: the quality pages per period and each unit's feedback workbook."""
