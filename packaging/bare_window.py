"""The yardstick of bench/package.py (packaged the way Postwijs is) and bench/startup.py (run
from source): a bare PySide6 window.

It prints when it was first painted and quits, as `postwijs --quit-when-shown` does.
"""

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class Window(QMainWindow):
    painted = False

    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            print(f"shown {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)


app = QApplication(sys.argv[:1])
window = Window()
window.resize(1180, 760)
window.show()
app.exec()
