"""Workbook kinds of this app, registered with camp.workbooks.registry."""
