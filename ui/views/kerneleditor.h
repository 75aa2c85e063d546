#pragma once

#include <QWidget>
#include <vector>

class QComboBox;
class QGridLayout;
class QLineEdit;
class QScrollArea;
class QSpinBox;

namespace padlab::ui {

class Session;

/**
 * The kernel: its height and width, a preset, and its values as a grid of fields.
 * Every keystroke in a field that reads as a number goes to the Session at once, so the
 * panels follow as the user types; the fields follow the Session when it changes.
 */
class KernelEditor : public QWidget {
    Q_OBJECT

public:
    /// The largest kernel the editor offers on each axis.
    static constexpr int kMaxSize = 21;

    explicit KernelEditor(Session *session, QWidget *parent = nullptr);

    /// The field of kernel cell (@p row, @p col), or nullptr outside the kernel.
    QLineEdit *cellEdit(int row, int col) const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void syncFromSession();
    void rebuildGrid(int rows, int cols);
    void fitGridArea();
    void cellEdited(int row, int col, const QString &text);

    Session *m_session;
    QSpinBox *m_rows;
    QSpinBox *m_cols;
    QComboBox *m_preset;
    QScrollArea *m_gridScroll;
    QWidget *m_gridHost;
    QGridLayout *m_grid;
    std::vector<QLineEdit *> m_cells; ///< row-major, m_gridRows x m_gridCols
    int m_gridRows = 0;
    int m_gridCols = 0;
};

} // namespace padlab::ui
