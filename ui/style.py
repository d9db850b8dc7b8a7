"""One stylesheet for the whole window: calm colours, large enough text, clear states."""

STYLE = """
QWidget { font-size: 10.5pt; }
#nav { background: #1f3b57; color: #ffffff; border: none; font-size: 11pt; padding-top: 8px; }
#nav::item { padding: 9px 14px; }
#nav::item:selected { background: #2f5d86; color: #ffffff; }
#sidebar { background: #1f3b57; }
#appName { color: #ffffff; font-size: 15pt; font-weight: bold; padding: 14px 14px 4px 14px; }
#demoBadge { background: #fef3c7; color: #78350f; border-radius: 6px; padding: 8px;
              margin: 4px 10px 6px 10px; font-weight: bold; }
#whoAmI { color: #dbe7f3; padding: 10px 14px 14px 14px; }
#pageTitle { font-size: 16pt; font-weight: bold; margin-bottom: 6px; }
#sectionTitle { font-weight: bold; margin-top: 6px; }
#hint { color: #4b5563; }
#reason { color: #92400e; }
#errorText { color: #991b1b; background: #fef2f2; border: 1px solid #fecaca; padding: 12px; }
#counter { color: #374151; }
#previewCard, #timelinePost { background: #ffffff; border: 1px solid #d1d5db; border-radius: 8px; }
#previewAccount { font-weight: bold; }
#practiceBanner { background: #fef3c7; border: 1px solid #f59e0b; border-radius: 6px;
                  padding: 10px; color: #78350f; }
#avatar { background: #2f5d86; color: white; border-radius: 22px; font-weight: bold; }
QPushButton#primary { background: #1d4ed8; color: white; padding: 7px 22px; border-radius: 5px;
                      font-weight: bold; }
QPushButton#primary:disabled { background: #9ca3af; color: #f3f4f6; }
#statusNote { color: #065f46; }
#reviewBanner { background: #e0f2fe; border: 1px solid #7dd3fc; border-radius: 6px; }
#checksPanel { background: #f3f4f6; border-left: 1px solid #d1d5db; }
#checksList { background: #f3f4f6; }
#checksSummary { font-weight: bold; margin-bottom: 4px; }
QPushButton#linkButton { border: none; color: #1d4ed8; text-decoration: underline; padding: 0 4px; }
QPushButton#linkButton:checked { color: #374151; }
"""
