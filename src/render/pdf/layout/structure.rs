//! The document's logical structure, made while laying out: what a screen reader reads and in
//! which order, independent of where things are drawn (tagged PDF, ISO 32000-1 §14.7–14.8;
//! PDF/UA-1, ISO 14289-1 §7).
//!
//! The flow keeps the element being filled (`Flow::open`). Every item it draws
//! goes into a marked-content sequence of that element, started by an [`Item::Mark`] when the
//! element changes; what belongs to no element (the running header and footer, page numbers,
//! the watermark, rules, table borders and bands, change bars, a table header repeated on a
//! continuation page) is an artifact (§14.8.2.2).
//!
//! [`Item::Mark`]: super::Item::Mark

/// A standard structure type (ISO 32000-1 §14.8.4), the only ones sopctl writes, so no role
/// map is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The whole document, the root of the tree.
    Document,
    /// A heading of level 1 to 6.
    H(u8),
    /// A paragraph.
    P,
    /// A list.
    L,
    /// A list item.
    LI,
    /// A list item's number or bullet.
    Lbl,
    /// A list item's content.
    LBody,
    /// A quoted passage.
    BlockQuote,
    /// A group of elements (a table too wide for the page, shown as records).
    Div,
    /// Computer code (a code block).
    Code,
    /// A table.
    Table,
    /// A table row.
    TR,
    /// A header cell; its [`Scope`] says what it heads.
    TH(Scope),
    /// A data cell.
    TD,
    /// An image, with its alternate description.
    Figure,
    /// A link, with its annotation.
    Link,
    /// The table of contents.
    TOC,
    /// An entry of the table of contents.
    TOCI,
    /// A footnote.
    Note,
}

/// What a header cell heads (the `/Scope` attribute of the Table attribute owner, ISO 32000-1
/// §14.8.5.7, which PDF/UA-1 §7.5 asks for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The cells below it.
    Column,
    /// The cells beside it.
    Row,
}

impl Role {
    /// The structure type's name, as written in `/S` and before `BDC`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Document => "Document",
            Role::H(1) => "H1",
            Role::H(2) => "H2",
            Role::H(3) => "H3",
            Role::H(4) => "H4",
            Role::H(5) => "H5",
            Role::H(_) => "H6",
            Role::P => "P",
            Role::L => "L",
            Role::LI => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::BlockQuote => "BlockQuote",
            Role::Div => "Div",
            Role::Code => "Code",
            Role::Table => "Table",
            Role::TR => "TR",
            Role::TH(_) => "TH",
            Role::TD => "TD",
            Role::Figure => "Figure",
            Role::Link => "Link",
            Role::TOC => "TOC",
            Role::TOCI => "TOCI",
            Role::Note => "Note",
        }
    }
}

/// What a structure element holds, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kid {
    /// Another element ([`Structure::nodes`] index).
    Node(usize),
    /// A marked-content sequence: the page (from 0) and its marked-content identifier there.
    Content {
        /// Page index, from 0.
        page: usize,
        /// The sequence's `/MCID` on that page.
        mcid: u32,
    },
    /// A link annotation: the page and which of the page's [`super::Item::Link`]s (from 0).
    Annotation {
        /// Page index, from 0.
        page: usize,
        /// The link's place among the page's links.
        index: usize,
    },
}

/// A structure element.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Its type.
    pub role: Role,
    /// Its parent ([`Structure::nodes`] index); the root's is itself.
    pub parent: usize,
    /// What it holds, in reading order.
    pub kids: Vec<Kid>,
    /// A figure's alternate description, or a link's text (its annotation's `/Contents`).
    pub text: String,
}

/// The structure tree: element 0 is the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// The elements, each after its parent.
    pub nodes: Vec<Node>,
}

impl Default for Structure {
    fn default() -> Structure {
        Structure {
            nodes: vec![Node {
                role: Role::Document,
                parent: 0,
                kids: Vec::new(),
                text: String::new(),
            }],
        }
    }
}

impl Structure {
    /// Adds an element of `role` as the last child of `parent`; returns its index.
    pub fn add(&mut self, parent: usize, role: Role) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Node {
            role,
            parent,
            kids: Vec::new(),
            text: String::new(),
        });
        if let Some(p) = self.nodes.get_mut(parent) {
            p.kids.push(Kid::Node(id));
        }
        id
    }

    /// The element `id`'s last child, if it is an element.
    pub fn last_child(&self, id: usize) -> Option<usize> {
        match self.nodes.get(id)?.kids.last()? {
            Kid::Node(n) => Some(*n),
            _ => None,
        }
    }
}

/// Where the items that follow on a page belong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Decoration or pagination: no element's content.
    Artifact,
    /// Content of element `node`, as the page's marked-content sequence `mcid`.
    Content {
        /// [`Structure::nodes`] index.
        node: usize,
        /// The sequence's identifier on the page.
        mcid: u32,
    },
}
